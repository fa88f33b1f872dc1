//! The words of the interface in English and Persian. Every visible string of the pages is a
//! field of [`Tr`], so a missing translation is a compile error, not a blank.
//!
//! The language is chosen per request by `?lang=fa|en` (links and forms carry it), else by
//! the browser's `Accept-Language`. No cookie: reporters must get none.

use axum::http::HeaderMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Fa,
}

/// The digest's language for a page's.
impl From<Lang> for unrest_digest::Lang {
    fn from(lang: Lang) -> unrest_digest::Lang {
        match lang {
            Lang::Fa => unrest_digest::Lang::Fa,
            Lang::En => unrest_digest::Lang::En,
        }
    }
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fa => "fa",
        }
    }

    pub fn dir(self) -> &'static str {
        match self {
            Lang::En => "ltr",
            Lang::Fa => "rtl",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Fa,
            Lang::Fa => Lang::En,
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim() {
            "en" => Some(Lang::En),
            "fa" => Some(Lang::Fa),
            _ => None,
        }
    }

    /// `?lang=` wins; then the first of en/fa in `Accept-Language`; then English.
    pub fn pick(query: Option<&str>, headers: &HeaderMap) -> Lang {
        if let Some(l) = query.and_then(Lang::parse) {
            return l;
        }
        let accept = headers
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        for part in accept.split(',') {
            let tag = part
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if tag.starts_with("fa") {
                return Lang::Fa;
            }
            if tag.starts_with("en") {
                return Lang::En;
            }
        }
        Lang::En
    }

    pub fn tr(self) -> &'static Tr {
        match self {
            Lang::En => &EN,
            Lang::Fa => &FA,
        }
    }

    /// Digits in the language's script.
    pub fn num(self, n: impl std::fmt::Display) -> String {
        let s = n.to_string();
        match self {
            Lang::En => s,
            Lang::Fa => s
                .chars()
                .map(|c| match c.to_digit(10) {
                    Some(d) => char::from_u32(0x06F0 + d).unwrap_or(c),
                    None => c,
                })
                .collect(),
        }
    }
}

pub struct Tr {
    pub site: &'static str,
    pub tagline: &'static str,
    pub nav_map: &'static str,
    pub nav_submit: &'static str,
    pub nav_receipt: &'static str,
    pub nav_api: &'static str,
    pub nav_review: &'static str,
    pub nav_users: &'static str,
    pub nav_login: &'static str,
    pub nav_logout: &'static str,
    pub switch_lang: &'static str,
    // submit
    pub submit_title: &'static str,
    pub submit_intro: &'static str,
    pub submit_privacy: &'static str,
    pub report_text: &'static str,
    pub report_text_hint: &'static str,
    pub place_optional: &'static str,
    pub date_optional: &'static str,
    pub date_hint: &'static str,
    pub send: &'static str,
    pub thanks_title: &'static str,
    pub receipt_intro: &'static str,
    pub receipt_keep: &'static str,
    pub form_expired: &'static str,
    pub text_required: &'static str,
    pub text_too_long: &'static str,
    pub bad_date: &'static str,
    pub photos_optional: &'static str,
    pub photos_hint: &'static str,
    /// Before the media crate's own (English) reason.
    pub photo_refused: &'static str,
    // receipt
    pub receipt_title: &'static str,
    pub receipt_code: &'static str,
    pub check: &'static str,
    pub receipt_unknown: &'static str,
    pub status_received: &'static str,
    pub status_in_review: &'static str,
    pub status_used: &'static str,
    pub status_not_used: &'static str,
    pub followup: &'static str,
    pub followup_hint: &'static str,
    pub followup_sent: &'static str,
    // map
    pub map_title: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub province: &'static str,
    pub any: &'static str,
    pub event_type: &'static str,
    pub search: &'static str,
    pub apply: &'static str,
    pub download_csv: &'static str,
    pub download_geojson: &'static str,
    pub events_shown: &'static str,
    pub timeline: &'static str,
    pub no_events: &'static str,
    pub map_fallback: &'static str,
    pub list_title: &'static str,
    // event
    pub date: &'static str,
    pub location: &'static str,
    pub actors: &'static str,
    pub fatalities: &'static str,
    /// Independent sources behind an incident, and its grade.
    pub sources: &'static str,
    pub incident: &'static str,
    pub no_incident: &'static str,
    pub split_off: &'static str,
    pub injuries: &'static str,
    pub arrests: &'static str,
    pub notes: &'static str,
    pub precision: &'static str,
    pub not_given: &'static str,
    pub date_exact: &'static str,
    pub date_week: &'static str,
    pub date_month: &'static str,
    pub geo_exact: &'static str,
    pub geo_near: &'static str,
    pub geo_region: &'static str,
    pub size_legend: &'static str,
    pub older_events: &'static str,
    pub latest_events: &'static str,
    pub brush_hint: &'static str,
    pub all_dates: &'static str,
    pub api_title: &'static str,
    pub api_intro: &'static str,
    pub parameters: &'static str,
    pub answers: &'static str,
    pub small_map: &'static str,
    pub with_actors: &'static str,
    pub grade: &'static str,
    // analyst
    pub login_title: &'static str,
    pub user_name: &'static str,
    pub password: &'static str,
    pub login_failed: &'static str,
    pub queue_title: &'static str,
    pub queue_empty: &'static str,
    pub report: &'static str,
    pub events: &'static str,
    pub received: &'static str,
    pub verify: &'static str,
    pub publish: &'static str,
    pub reject: &'static str,
    pub save: &'static str,
    pub merge: &'static str,
    pub merge_into: &'static str,
    pub add_place: &'static str,
    pub pick_on_map: &'static str,
    pub followups: &'static str,
    pub history: &'static str,
    pub status: &'static str,
    pub role: &'static str,
    pub users_title: &'static str,
    pub add_user: &'static str,
    pub disable: &'static str,
    pub enable: &'static str,
}

pub static EN: Tr = Tr {
    site: "unrest",
    tagline: "Verified reports of protests in Iran",
    nav_map: "Map",
    nav_submit: "Send a report",
    nav_receipt: "Check a receipt",
    nav_api: "API",
    nav_review: "Review",
    nav_users: "Users",
    nav_login: "Analyst login",
    nav_logout: "Log out",
    switch_lang: "فارسی",
    submit_title: "Send a report",
    submit_intro: "Tell us what you saw: where, when, what happened, how many people, whether anyone was hurt or arrested.",
    submit_privacy: "We set no cookies, load nothing from other sites and keep no IP address. Do not write your name or anything that identifies you.",
    report_text: "What happened",
    report_text_hint: "In English or Persian.",
    place_optional: "Place (optional)",
    date_optional: "Date (optional)",
    date_hint: "YYYY-MM-DD",
    send: "Send",
    thanks_title: "Thank you, your report has arrived",
    receipt_intro: "Your receipt code:",
    receipt_keep: "Keep this code somewhere safe. With it you can see whether your report was used and add to it. It is shown only once; we cannot recover it.",
    form_expired: "The form had expired. Your text is below: please send it again.",
    text_required: "Please write what happened.",
    text_too_long: "The report is too long (at most 20,000 characters).",
    bad_date: "The date must be written as YYYY-MM-DD and not lie in the future.",
    photos_optional: "Photos (optional)",
    photos_hint: "JPEG, PNG or WebP. Location, camera and other hidden data are removed before anyone sees them; the picture itself is not changed, so check it shows nothing that identifies you.",
    photo_refused: "A photo was refused, nothing was sent; your text is below. Reason",
    receipt_title: "Check a receipt",
    receipt_code: "Receipt code",
    check: "Check",
    receipt_unknown: "No report has this receipt code.",
    status_received: "Received; not reviewed yet.",
    status_in_review: "Being reviewed by an analyst.",
    status_used: "Used: at least one event from your report is published.",
    status_not_used: "Reviewed, and not published.",
    followup: "Add to your report",
    followup_hint: "Corrections or new details.",
    followup_sent: "Your addition has arrived.",
    map_title: "Protest events",
    from: "From",
    to: "To",
    province: "Province",
    any: "Any",
    event_type: "Type",
    search: "Words",
    apply: "Apply",
    download_csv: "Download CSV (ACLED)",
    download_geojson: "Download GeoJSON",
    events_shown: "events",
    timeline: "Events per day",
    no_events: "No published events match.",
    map_fallback: "The map library is not installed in this build: provinces and events are drawn without zoom.",
    list_title: "Latest events",
    date: "Date",
    location: "Location",
    actors: "Actors",
    fatalities: "Fatalities",
    sources: "Independent sources",
    incident: "Incident",
    no_incident: "In no incident (rejected, or not yet corroborated).",
    split_off: "Split this event off its incident",
    injuries: "Injuries",
    arrests: "Arrests",
    notes: "Notes",
    precision: "Precision",
    not_given: "not given",
    date_exact: "the exact day",
    date_week: "within a week",
    date_month: "within a month",
    geo_exact: "the place itself",
    geo_near: "near the place, or part of a region",
    geo_region: "only the province or region",
    size_legend: "Circle area: people killed",
    older_events: "Older events",
    latest_events: "Latest events",
    brush_hint: "Drag across the timeline to show only that period on the map and in the list.",
    all_dates: "All dates",
    api_title: "The public API",
    api_intro: "Every answer holds published events only, never a report or a reporter. The machine-readable description:",
    parameters: "Parameters",
    answers: "Answers",
    small_map: "Where it happened",
    with_actors: "with",
    grade: "grade",
    login_title: "Analyst login",
    user_name: "User name",
    password: "Password",
    login_failed: "Wrong user name or password.",
    queue_title: "Review queue",
    queue_empty: "Nothing waits for review.",
    report: "Report",
    events: "Events",
    received: "Received",
    verify: "Verify",
    publish: "Publish",
    reject: "Reject",
    save: "Save",
    merge: "Merge",
    merge_into: "Merge this event into event #",
    add_place: "Add a place to the gazetteer",
    pick_on_map: "Pick the point on the map",
    followups: "Follow-ups from the reporter",
    history: "History",
    status: "Status",
    role: "Role",
    users_title: "Users",
    add_user: "Add a user",
    disable: "Disable",
    enable: "Enable",
};

pub static FA: Tr = Tr {
    site: "آنرست",
    tagline: "گزارش‌های تأییدشده از اعتراضات در ایران",
    nav_map: "نقشه",
    nav_submit: "ارسال گزارش",
    nav_receipt: "پیگیری رسید",
    nav_api: "API",
    nav_review: "بازبینی",
    nav_users: "کاربران",
    nav_login: "ورود تحلیلگر",
    nav_logout: "خروج",
    switch_lang: "English",
    submit_title: "ارسال گزارش",
    submit_intro: "آنچه دیدید را بنویسید: کجا، کی، چه اتفاقی افتاد، چند نفر بودند، آیا کسی زخمی یا بازداشت شد.",
    submit_privacy: "ما هیچ کوکی‌ای نمی‌گذاریم، چیزی از سایت‌های دیگر بارگذاری نمی‌کنیم و نشانی IP را نگه نمی‌داریم. نام خود یا چیزی که شما را شناسایی کند ننویسید.",
    report_text: "چه اتفاقی افتاد",
    report_text_hint: "به فارسی یا انگلیسی.",
    place_optional: "مکان (اختیاری)",
    date_optional: "تاریخ (اختیاری)",
    date_hint: "YYYY-MM-DD",
    send: "ارسال",
    thanks_title: "سپاس، گزارش شما رسید",
    receipt_intro: "کد رسید شما:",
    receipt_keep: "این کد را در جای امنی نگه دارید. با آن می‌توانید ببینید گزارشتان استفاده شد یا نه و به آن چیزی بیفزایید. فقط یک بار نشان داده می‌شود و قابل بازیابی نیست.",
    form_expired: "فرم منقضی شده بود. متن شما در زیر است: لطفاً دوباره بفرستید.",
    text_required: "لطفاً بنویسید چه اتفاقی افتاد.",
    text_too_long: "گزارش بیش از حد بلند است (حداکثر ۲۰٬۰۰۰ نویسه).",
    bad_date: "تاریخ باید به شکل YYYY-MM-DD باشد و در آینده نباشد.",
    photos_optional: "عکس‌ها (اختیاری)",
    photos_hint: "JPEG، PNG یا WebP. مکان، مدل دوربین و دیگر داده‌های پنهان پیش از آنکه کسی ببیند پاک می‌شوند؛ خود تصویر تغییر نمی‌کند، پس مطمئن شوید چیزی در آن شما را شناسایی نمی‌کند.",
    photo_refused: "یک عکس پذیرفته نشد و چیزی ارسال نشد؛ متن شما در زیر است. دلیل",
    receipt_title: "پیگیری رسید",
    receipt_code: "کد رسید",
    check: "بررسی",
    receipt_unknown: "هیچ گزارشی با این کد رسید نیست.",
    status_received: "دریافت شد؛ هنوز بازبینی نشده است.",
    status_in_review: "در حال بازبینی توسط تحلیلگر.",
    status_used: "استفاده شد: دست‌کم یک رویداد از گزارش شما منتشر شده است.",
    status_not_used: "بازبینی شد و منتشر نشد.",
    followup: "افزودن به گزارش",
    followup_hint: "اصلاحات یا جزئیات تازه.",
    followup_sent: "افزوده شما رسید.",
    map_title: "رویدادهای اعتراضی",
    from: "از",
    to: "تا",
    province: "استان",
    any: "همه",
    event_type: "نوع",
    search: "واژه‌ها",
    apply: "اعمال",
    download_csv: "دریافت CSV (ACLED)",
    download_geojson: "دریافت GeoJSON",
    events_shown: "رویداد",
    timeline: "رویدادها در هر روز",
    no_events: "هیچ رویداد منتشرشده‌ای یافت نشد.",
    map_fallback: "کتابخانهٔ نقشه در این نسخه نصب نیست: استان‌ها و رویدادها بدون بزرگ‌نمایی نمایش داده می‌شوند.",
    list_title: "تازه‌ترین رویدادها",
    date: "تاریخ",
    location: "مکان",
    actors: "کنشگران",
    fatalities: "کشته‌ها",
    sources: "منابع مستقل",
    incident: "رویداد",
    no_incident: "در هیچ رویدادی نیست (ردشده یا هنوز تطبیق‌نشده).",
    split_off: "جدا کردن این گزارش از رویداد",
    injuries: "زخمی‌ها",
    arrests: "بازداشت‌ها",
    notes: "یادداشت‌ها",
    precision: "دقت",
    not_given: "ذکر نشده",
    date_exact: "روز دقیق",
    date_week: "در بازهٔ یک هفته",
    date_month: "در بازهٔ یک ماه",
    geo_exact: "خود مکان",
    geo_near: "نزدیک مکان، یا بخشی از یک منطقه",
    geo_region: "تنها استان یا منطقه",
    size_legend: "اندازهٔ دایره: شمار کشته‌ها",
    older_events: "رویدادهای پیشین",
    latest_events: "تازه‌ترین رویدادها",
    brush_hint: "روی نمودار زمانی بکشید تا نقشه و فهرست تنها همان بازه را نشان دهند.",
    all_dates: "همهٔ تاریخ‌ها",
    api_title: "رابط برنامه‌نویسی همگانی",
    api_intro: "هر پاسخ تنها رویدادهای منتشرشده را دارد، هرگز گزارش یا گزارشگری را. توصیف ماشین‌خوان:",
    parameters: "پارامترها",
    answers: "پاسخ‌ها",
    small_map: "جای رویداد",
    with_actors: "همراه با",
    grade: "درجه",
    login_title: "ورود تحلیلگر",
    user_name: "نام کاربری",
    password: "گذرواژه",
    login_failed: "نام کاربری یا گذرواژه نادرست است.",
    queue_title: "صف بازبینی",
    queue_empty: "چیزی در انتظار بازبینی نیست.",
    report: "گزارش",
    events: "رویدادها",
    received: "دریافت",
    verify: "تأیید",
    publish: "انتشار",
    reject: "رد",
    save: "ذخیره",
    merge: "ادغام",
    merge_into: "ادغام این رویداد در رویداد شمارهٔ",
    add_place: "افزودن مکان به فهرست جغرافیایی",
    pick_on_map: "انتخاب نقطه روی نقشه",
    followups: "افزوده‌های گزارشگر",
    history: "تاریخچه",
    status: "وضعیت",
    role: "نقش",
    users_title: "کاربران",
    add_user: "افزودن کاربر",
    disable: "غیرفعال‌سازی",
    enable: "فعال‌سازی",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_beats_accept_language() {
        let mut h = HeaderMap::new();
        h.insert(
            axum::http::header::ACCEPT_LANGUAGE,
            "fa-IR,fa;q=0.9".parse().unwrap(),
        );
        assert_eq!(Lang::pick(None, &h), Lang::Fa);
        assert_eq!(Lang::pick(Some("en"), &h), Lang::En);
        assert_eq!(Lang::pick(Some("xx"), &HeaderMap::new()), Lang::En);
    }

    #[test]
    fn persian_digits() {
        assert_eq!(Lang::Fa.num(2022), "۲۰۲۲");
    }
}
