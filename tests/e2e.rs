//! End to end, in a real browser engine: the app's screens served by
//! liveview over each phone's real store, driven in headless Chromium,
//! syncing over HTTPS with the real companion server running in this
//! process on a temporary database.
//!
//! One scenario follows an instructor's day: enroll from the QR text, add
//! a household (a wrong ID check digit is shown at the field and fixed),
//! fill its ledger with two labour rows (farming income above the family's
//! is shown at the field and fixed), log a visit with a photo and the
//! browser's position, sync until the queue is empty and the photo is on
//! the server, and see the township liaison's screen count it.
//!
//! Needs `chromium` and `chromedriver` (Debian: `chromium`,
//! `chromium-driver`); fails with that message when they are missing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "e2e/browser.rs"]
mod browser;
#[path = "e2e/phone.rs"]
mod phone;

use browser::Browser;
use fieldledger_model::resident_id::check_char;
use fieldledger_server::demo::{CountySpec, SeededCounty};
use fieldledger_server::testing::TestServer;
use phone::{Phone, enroll_link};

/// A small county: one township, three instructors with two households
/// each, and its liaison.
fn small_county() -> CountySpec {
    CountySpec {
        townships: 1,
        villages_per_township: 1,
        instructors_per_township: 3,
        households_per_instructor: 2,
        visits_per_household: 1,
        ..CountySpec::default()
    }
}

/// The tab bar, shown once the phone is enrolled.
const TAB_BAR: &str = "//nav[@aria-label='主菜单']";

/// The liaison's 乡镇 tab.
const TOWNSHIP_TAB: &str = "//nav[@aria-label='主菜单']//a[normalize-space()='乡镇']";

/// Where the browser says it is: a village in 花溪区, Guiyang.
const PLACE: (f64, f64) = (26.4102, 106.6703);

/// How the visit form shows [`PLACE`].
const SHOWN_POSITION: &str = "北纬 26.4102°，东经 106.6703°（误差约 15 米）";

/// The first seventeen digits of the new household head's ID number.
const ID_FIRST17: &str = "52012119850315004";

/// A check character that is not the right one for [`ID_FIRST17`].
fn wrong_check(first17: &str) -> char {
    let right = check_char(first17.as_bytes());
    if right == '0' { '1' } else { '0' }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_instructors_day_reaches_the_liaison() {
    let server = TestServer::start().await.expect("start the server");
    let county = server.seed(&small_county()).await.expect("seed a county");
    let browser = Browser::start().await;
    browser.place_at(PLACE.0, PLACE.1, 15.0).await;

    let liaison = Phone::start().await;
    enroll_liaison(&browser, &server, &county, &liaison).await;
    let before = township_figures(&browser, &county).await;

    let phone = Phone::start().await;
    enroll_instructor(&browser, &server, &county, &phone).await;
    add_household(&browser, &county).await;
    fill_ledger(&browser).await;
    log_visit(&browser).await;
    sync_until_empty(&browser).await;
    assert_eq!(
        server_photos(&server).len(),
        1,
        "the visit's photo is on the server"
    );

    browser.open(&liaison.url).await;
    let after = township_figures(&browser, &county).await;
    browser.shot("township").await;
    assert_eq!(
        after.households,
        before.households + 1,
        "the new household counts"
    );
    assert!(
        after.received >= before.received + 3,
        "household, ledger and visit reached the server: {before:?} then {after:?}"
    );

    browser.close().await;
}

/// Enrolls `phone` by pasting the QR text of a fresh code for `user`.
async fn enroll(browser: &Browser, server: &TestServer, phone: &Phone, user: uuid::Uuid) {
    let code = server.enroll_code(user).await.expect("an enrollment code");
    browser.open(&phone.url).await;
    browser.wait_text("首次使用").await;
    browser
        .fill("或粘贴二维码内容", 1, &enroll_link(server, &code))
        .await;
    browser.click_button("用二维码内容注册").await;
    browser.find(TAB_BAR).await;
}

async fn enroll_liaison(
    browser: &Browser,
    server: &TestServer,
    county: &SeededCounty,
    phone: &Phone,
) {
    enroll(browser, server, phone, county.liaisons[0].id).await;
    browser.find(TOWNSHIP_TAB).await;
}

async fn enroll_instructor(
    browser: &Browser,
    server: &TestServer,
    county: &SeededCounty,
    phone: &Phone,
) {
    let me = &county.instructors[0];
    enroll(browser, server, phone, me.user.id).await;
    for household in &me.households {
        browser.wait_text(&household.head_name).await;
    }
    assert_eq!(
        browser.count(TOWNSHIP_TAB).await,
        0,
        "an instructor has no 乡镇 tab"
    );
}

/// What the liaison's 乡镇 screen says of the seeded instructor.
#[derive(Debug, Clone, Copy)]
struct Figures {
    received: u32,
    households: u32,
}

async fn township_figures(browser: &Browser, county: &SeededCounty) -> Figures {
    let name = &county.instructors[0].instructor.name;
    browser.click_link("乡镇").await;
    let page = browser
        .wait_until("the township figures", |page| {
            page.contains("本周上报") && page.contains(name.as_str())
        })
        .await;
    let line = page[page.find(name.as_str()).unwrap()..]
        .lines()
        .find(|l| l.contains("本周上报"))
        .unwrap()
        .to_owned();

    Figures {
        received: number_between(&line, "本周上报", "条"),
        households: number_between(&line, "指导", "户"),
    }
}

fn number_between(line: &str, before: &str, after: &str) -> u32 {
    let start = line.find(before).map(|i| i + before.len()).unwrap();
    let rest = &line[start..];
    let end = rest.find(after).unwrap();
    rest[..end]
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("no number in {line:?}"))
}

/// 新增贫困户, with a wrong check digit first.
async fn add_household(browser: &Browser, county: &SeededCounty) {
    let township = &county.townships[0].name;
    let village = &county.villages[0].name;
    browser.click_link("新增贫困户").await;
    browser.wait_text("新增贫困户").await;
    browser
        .fill("县（市、区、特区）", 1, &county.county.name)
        .await;
    browser.fill("乡（镇、社区）", 1, township).await;
    browser.fill("村", 1, village).await;
    browser.fill("村民组", 1, "三组").await;
    browser.fill("贫困户户主姓名", 1, "杨秀英").await;

    let wrong = format!("{ID_FIRST17}{}", wrong_check(ID_FIRST17));
    browser.fill("身份证号", 1, &wrong).await;
    browser.tap_away().await;
    let shown = browser.wait_field_error("身份证号", 1).await;
    assert!(
        shown.contains("校验位"),
        "the check digit is named: {shown}"
    );

    let right = format!("{ID_FIRST17}{}", check_char(ID_FIRST17.as_bytes()));
    browser.fill("身份证号", 1, &right).await;
    browser.wait_field_clear("身份证号", 1).await;
    browser.click_button("下一步：填写台账").await;
    browser.wait_text("贫困户产业发展台账").await;
}

/// The ledger: population, two labour rows, and incomes where the
/// farming part first exceeds the whole.
async fn fill_ledger(browser: &Browser) {
    browser.fill("人口数（人）", 1, "4").await;
    for (i, (name, birth)) in [("杨秀英", "1985-03"), ("王建国", "1983-11")]
        .iter()
        .enumerate()
    {
        browser.click_button("添加一名劳动力").await;
        browser.wait_text(&format!("第{}条", i + 1)).await;
        browser.fill("姓名", i + 1, name).await;
        browser.fill("出生年月", i + 1, birth).await;
    }
    browser.fill("上年家庭收入（元）", 1, "20000").await;
    browser.fill("其中农业产业收入（元）", 1, "30000").await;
    browser.tap_away().await;
    let shown = browser.wait_field_error("其中农业产业收入（元）", 1).await;
    assert!(
        shown.contains("不能超过上年家庭收入"),
        "the rule is named: {shown}"
    );

    browser.fill("其中农业产业收入（元）", 1, "12000").await;
    browser.wait_field_clear("其中农业产业收入（元）", 1).await;
    browser.click_button("保存台账").await;
    browser.wait_text("杨秀英").await;
    browser.wait_text("记录走访").await;
}

/// A visit from the household's page, with a photo picked from a file and
/// the position the browser reports.
async fn log_visit(browser: &Browser) {
    let dir = tempfile::tempdir().expect("a folder for the photo");
    let photo = dir.path().join("猪圈.jpg");
    std::fs::write(&photo, test_photo()).expect("write the photo");

    browser.click_button("记录走访").await;
    browser.wait_text("工作内容").await;
    browser.wait_text(SHOWN_POSITION).await;
    browser.fill("入户宣讲政策", 1, "2").await;
    browser
        .fill("备注", 1, "讲解了产业补贴政策，查看了猪圈")
        .await;
    browser.attach("添加照片", &photo).await;
    browser.wait_text("照片（已添加1张）").await;
    browser.shot("visit").await;
    browser.click_button("保存走访记录").await;
    browser.wait_text("讲解了产业补贴政策").await;
    browser.wait_text("照片 1 张 · 已定位").await;
}

/// A camera-sized JPEG, large enough that the phone shrinks it.
fn test_photo() -> Vec<u8> {
    let image = image::RgbImage::from_fn(2000, 1500, |x, y| {
        image::Rgb([(x / 8) as u8, (y / 6) as u8, ((x + y) / 14) as u8])
    });
    let mut bytes = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut bytes, image::ImageFormat::Jpeg)
        .expect("encode a JPEG");
    bytes.into_inner()
}

/// The photos the server holds whole (it checks each against the SHA-256
/// it is named by), each a JPEG no larger than the phone makes them.
fn server_photos(server: &TestServer) -> Vec<String> {
    let dir = server.data_dir().join("photos");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("the server's photo folder") {
        let path = entry.expect("a photo entry").path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".part") {
            continue;
        }
        let bytes = std::fs::read(&path).expect("read a photo");
        let decoded = image::load_from_memory(&bytes).expect("a photo decodes");
        assert!(
            decoded.width().max(decoded.height()) <= 1600,
            "{name} was shrunk"
        );
        names.push(name);
    }
    names
}

/// 立即同步, then wait for nothing left to send.
async fn sync_until_empty(browser: &Browser) {
    browser.click_link("同步").await;
    browser.wait_text("待上传记录").await;
    browser.click_button("立即同步").await;
    let page = browser
        .wait_until("an empty queue", |page| {
            page.contains("待上传记录 0 条") && page.contains("待上传照片 0 张")
        })
        .await;
    assert!(!page.contains("上次同步失败"), "no failure shown:\n{page}");
}
