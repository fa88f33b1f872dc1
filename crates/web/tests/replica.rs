//! Serving many: validators and cache headers on public answers (and never on an analyst's),
//! the load balancer's probes, and `--read-only` over a PostgreSQL role that can only read
//! (the stand-in for a streaming replica: the suite cannot start a second PostgreSQL
//! server here).

use crate::support::*;

fn header(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_answers_carry_validators_and_a_repeat_gets_304() {
    let app = App::start_with(Backend::Sqlite, true).await;
    check_validators(&app).await;
}

async fn check_validators(app: &App) {
    let r = app.get("/api/events").await;
    assert_eq!(r.status(), 200);
    let etag = header(&r, "etag").expect("an ETag");
    assert_eq!(
        header(&r, "cache-control").as_deref(),
        Some("public, max-age=60")
    );
    let again = app
        .http
        .get(app.url("/api/events"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(header(&again, "etag").as_deref(), Some(etag.as_str()));
    assert!(again.bytes().await.unwrap().is_empty());

    let (_, list) = app.get_json("/api/events").await;
    let id = list["events"][0]["id"].as_i64().unwrap();
    let page = app.get(&format!("/events/{id}")).await;
    assert_eq!(page.status(), 200);
    assert_eq!(
        header(&page, "cache-control").as_deref(),
        Some("public, max-age=600")
    );
    assert!(header(&page, "vary").unwrap().contains("Cookie"));

    // An analyst's view of the same page is theirs alone.
    let analyst = app.login_as("maryam", "analyst").await;
    let mine = analyst.get("/").await;
    assert_eq!(header(&mine, "cache-control").as_deref(), Some("no-store"));
    assert_eq!(header(&mine, "etag"), None);
    let review = analyst.get("/review").await;
    assert_eq!(
        header(&review, "cache-control").as_deref(),
        Some("no-store")
    );
    // Nor is anything a reporter sees kept.
    assert_eq!(
        header(&app.get("/submit").await, "cache-control").as_deref(),
        Some("no-store")
    );

    assert_eq!(app.get_text("/healthz").await, (200, "ok\n".to_string()));
    assert_eq!(app.get_text("/readyz").await, (200, "ready\n".to_string()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn validators_hold_on_postgres_too() {
    let app = App::start_with(Backend::Postgres, true).await;
    check_validators(&app).await;
}

/// Runs blocking PostgreSQL work off the async runtime.
fn pg(sql: String) {
    std::thread::spawn(move || {
        let mut c = postgres::Client::connect(&postgres_admin_url(), postgres::NoTls).unwrap();
        c.batch_execute(&sql).unwrap();
    })
    .join()
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_read_only_replica_serves_the_map_and_refuses_a_submission() {
    let main = App::start_with(Backend::Postgres, true).await;
    let schema = main
        .db
        .url
        .rsplit("search_path%3D")
        .next()
        .unwrap()
        .to_string();
    let role = format!("ro_{schema}");
    let admin = postgres_admin_url();
    let Some(rest) = admin.strip_prefix("postgres://postgres@") else {
        eprintln!("read-only test skipped: {admin} does not connect as postgres@ (trust)");
        return;
    };
    pg(format!(
        "CREATE ROLE {role} LOGIN; GRANT USAGE ON SCHEMA {schema} TO {role};
         GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {role};
         ALTER ROLE {role} SET default_transaction_read_only = on;"
    ));
    let url = format!("postgres://{role}@{rest}?options=-csearch_path%3D{schema}");
    let replica = App::start_configured(Backend::Sqlite, |c| {
        c.db = url.clone();
        c.read_only = true;
    })
    .await;

    let (status, map) = replica.get_text("/").await;
    assert_eq!(status, 200);
    let (_, main_map) = main.get_text("/").await;
    let count = |page: &str| between(page, "data-count=\"", "\"").to_string();
    assert_eq!(count(&map), count(&main_map));
    assert_ne!(count(&map), "0");
    let (status, list) = replica.get_json("/api/events").await;
    assert_eq!(status, 200);
    assert!(list["count"].as_u64().unwrap() > 0);
    assert_eq!(replica.get_text("/readyz").await.0, 200);

    let r = replica
        .post(
            "/submit",
            &[("text", "Protesters gathered in Karaj today.")],
        )
        .await;
    assert_eq!(r.status(), 503);
    let page = r.text().await.unwrap();
    assert!(page.contains("read-only copy"), "{page}");
    let (status, page) = replica.get_text("/submit?lang=fa").await;
    assert_eq!(status, 503);
    assert!(page.contains("فقط‌خواندنی"));
    assert_eq!(
        replica
            .post("/login", &[("name", "a"), ("password", "b")])
            .await
            .status(),
        503
    );

    drop(replica);
    pg(format!("DROP OWNED BY {role}; DROP ROLE {role};"));
}

/// Two processes on one database behave as one server: a reporter's form served by one is
/// taken by the other, and an analyst's login on one is valid on the other.
async fn two_replicas_share_forms_and_logins(backend: Backend) {
    let a = App::start(backend).await;
    let b = App::start_configured(Backend::Sqlite, |c| c.db = a.db.url.clone()).await;
    let (_, form) = a.get_text("/submit").await;
    let token = value_of(&form, "token");
    let r = b
        .post(
            "/submit",
            &[
                ("token", token.as_str()),
                ("lang", "en"),
                ("text", "Protesters gathered in Karaj today."),
                ("place", ""),
                ("date", ""),
            ],
        )
        .await;
    assert_eq!(
        r.status(),
        200,
        "a form of one replica is taken by the other"
    );
    assert!(r.text().await.unwrap().contains("id=\"receipt\""));

    let analyst = a.login_as("maryam", "analyst").await;
    let on_b = b
        .http
        .get(b.url("/review"))
        .header("cookie", &analyst.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(
        on_b.status(),
        200,
        "a login on one replica is valid on the other"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_share_forms_and_logins_sqlite() {
    two_replicas_share_forms_and_logins(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_share_forms_and_logins_postgres() {
    two_replicas_share_forms_and_logins(Backend::Postgres).await;
}

/// The login back-off counts failures on every replica together.
async fn the_login_back_off_holds_across_replicas(backend: Backend) {
    let a = App::start(backend).await;
    let b = App::start_configured(Backend::Sqlite, |c| c.db = a.db.url.clone()).await;
    let url = a.db.url.clone();
    tokio::task::spawn_blocking(move || {
        unrest_web::add_user(&url, "maryam", "analyst", "correct horse battery staple")
    })
    .await
    .unwrap()
    .unwrap();
    for i in 0..5 {
        let on = if i % 2 == 0 { &a } else { &b };
        let r = on
            .post("/login", &[("name", "maryam"), ("password", "wrong")])
            .await;
        assert_eq!(r.status(), 401);
    }
    let right = [
        ("name", "maryam"),
        ("password", "correct horse battery staple"),
    ];
    for on in [&a, &b] {
        assert_eq!(
            on.post("/login", &right).await.status(),
            429,
            "five failures spread over two replicas lock the name on both"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_login_back_off_holds_across_replicas_sqlite() {
    the_login_back_off_holds_across_replicas(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_login_back_off_holds_across_replicas_postgres() {
    the_login_back_off_holds_across_replicas(Backend::Postgres).await;
}
