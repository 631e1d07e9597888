"""`newsnlp serve` end to end in headless Chromium: search, click a facet, open an article,
see its facts marked; screenshots go to $NEWSNLP_TEST_ARTIFACTS (default tests/artifacts/).

Needs Debian's ``chromium`` and ``chromium-driver`` and the ``selenium`` package; skips without them.
"""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

from test_web_api import build_archive

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install selenium)")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

CHROMIUM = os.environ.get("NEWSNLP_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = os.environ.get("NEWSNLP_CHROMEDRIVER") or shutil.which("chromedriver")
ARTIFACTS = Path(os.environ.get("NEWSNLP_TEST_ARTIFACTS") or Path(__file__).parent / "artifacts")

pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER),
    reason="headless Chromium not found (apt-get install chromium chromium-driver)")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on a free loopback port, in a thread."""
    from werkzeug.serving import make_server

    from newsnlp.web import create_app

    app = create_app(build_archive(tmp_path_factory.mktemp("e2e")))
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(5)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-extensions", "--window-size=1280,1000",
                f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    try:
        driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    except Exception as exc:  # a broken install: say so instead of failing every test
        pytest.skip(f"cannot start headless Chromium: {exc}".splitlines()[0])
    driver.set_page_load_timeout(20)
    yield driver
    driver.quit()


def screenshot(driver, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    driver.get_screenshot_as_file(str(path))
    return path


def console_errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def test_search_facet_article_facts(server, browser):
    wait = WebDriverWait(browser, 10)
    browser.get(server + "/")
    box = browser.find_element(By.ID, "q")
    box.send_keys("防汛")
    browser.find_element(By.ID, "go").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "total"), "4"))
    assert len(browser.find_elements(By.CSS_SELECTOR, "#hits li.hit")) == 4
    assert browser.find_elements(By.CSS_SELECTOR, "#chart rect[data-key='2023-03']")
    assert browser.find_elements(By.CSS_SELECTOR, "#hits mark")  # highlighted snippet

    # click a facet value: the results narrow to that paper and the filter shows as a chip
    browser.find_element(By.CSS_SELECTOR, "[data-facet='paper'] a[data-value='江南晚报']").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "total"), "1"))
    assert "paper: 江南晚报" in browser.find_element(By.ID, "active-filters").text
    screenshot(browser, "serve-search")

    # back to the whole result set, open the article with facts
    browser.find_element(By.CSS_SELECTOR, "#active-filters a[data-filter='paper']").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "total"), "4"))
    browser.find_element(By.CSS_SELECTOR, "li.hit[data-id='hz-20230105-01-001'] a.headline").click()
    wait.until(EC.presence_of_element_located((By.ID, "article")))
    assert browser.find_element(By.ID, "headline").text == "河州市召开防汛工作会议"
    marks = {(m.get_attribute("data-kind"), m.text) for m in browser.find_elements(By.CSS_SELECTOR, "#body span.mark")}
    assert {("official", "王建国"), ("org", "河州市政府"), ("figure", "3.5亿元"), ("date", "1月4日")} <= marks
    # each kind is drawn in its own colour, as the legend shows
    colour = {k: browser.find_element(By.CSS_SELECTOR, f"#body .mark-{k}").value_of_css_property("background-color")
              for k in ("official", "org", "figure", "date")}
    assert len(set(colour.values())) == 4
    assert "副市长" in browser.find_element(By.ID, "facts-officials").text
    assert browser.find_elements(By.CSS_SELECTOR, "#similar li a")
    screenshot(browser, "serve-article")

    # the legend switches a kind off
    browser.find_element(By.CSS_SELECTOR, "#legend button[data-kind='figure']").click()
    assert "hide-figure" in browser.find_element(By.ID, "body").get_attribute("class")
    assert not console_errors(browser)


def test_script_in_text_does_not_run(server, browser):
    browser.get(server + "/article/hz-20230210-02-002")
    assert "<script>" in browser.find_element(By.ID, "headline").text
    assert browser.execute_script("return document.querySelectorAll('#article script').length") == 0
    browser.get(server + "/?q=读者来信")
    assert "<script>" in browser.find_element(By.ID, "hits").text


def test_more_button_loads_facet_values_from_the_api(server, browser):
    browser.get(server + "/")
    buttons = browser.find_elements(By.CSS_SELECTOR, "button.more")
    if not buttons:  # fewer than 10 values everywhere: ask the API directly the way the page does
        browser.execute_script(
            "const b=document.createElement('button');b.className='more';b.dataset.facet='place';"
            "b.dataset.query='';document.querySelector('[data-facet=place]').append(b);b.click();")
    else:
        buttons[0].click()
    WebDriverWait(browser, 10).until(lambda d: not d.find_elements(By.CSS_SELECTOR, "button.more"))
    values = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "[data-facet='place'] a[data-value]")]
    assert {"河州市", "山城", "江南区"} <= set(values)


@pytest.fixture(scope="module")
def registry_server(tmp_path_factory):
    """The app over the officials archive of test_web_registry, and 张华's (the deputy mayor's) person id."""
    from werkzeug.serving import make_server

    import test_web_registry
    from newsnlp.registry import open_registry
    from newsnlp.web import create_app

    archive = test_web_registry.build_archive(tmp_path_factory.mktemp("e2e-registry"))
    with open_registry(archive) as reg:
        person = next(p for p in reg.people(name="张华") if any(x["title"] == "副市长" for x in p["posts"]))
    httpd = make_server("127.0.0.1", 0, create_app(archive), threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", person
    httpd.shutdown()
    thread.join(5)


def test_person_page_timeline_bars_link_to_articles(registry_server, browser):
    base, person = registry_server
    wait = WebDriverWait(browser, 10)
    browser.get(f"{base}/person/{person['id']}")
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#timeline svg")))
    assert browser.find_element(By.ID, "person-name").text == "张华"
    rects = browser.find_elements(By.CSS_SELECTOR, "#timeline svg a.bar-link rect.bar")
    assert len(rects) == len(person["posts"]) == 3
    # the bars are drawn (visible, not zero-sized) and later posts sit further right
    boxes = [r.rect for r in rects]
    assert all(b["width"] > 0 and b["height"] > 0 for b in boxes)
    assert [b["x"] for b in boxes] == sorted(b["x"] for b in boxes)
    assert "acting" in rects[1].get_attribute("class")
    assert browser.find_elements(By.CSS_SELECTOR, "#events tr[data-kind='appoint'] a.article-link")
    screenshot(browser, "serve-person")

    # clicking a bar opens the first article of that post, which links the name back here
    rects[-1].click()
    wait.until(EC.presence_of_element_located((By.ID, "article")))
    assert browser.find_element(By.ID, "article").get_attribute("data-id") == person["posts"][-1]["articles"][0]
    link = browser.find_element(By.CSS_SELECTOR, f"#body a.person-link[href='/person/{person['id']}']")
    assert link.text == "张华"
    link.click()
    wait.until(EC.presence_of_element_located((By.ID, "person")))
    assert browser.find_element(By.ID, "person").get_attribute("data-id") == person["id"]

    # the organisation page draws one bar per holder of each post
    browser.find_element(By.CSS_SELECTOR, "#posts a.org-link").click()
    wait.until(EC.presence_of_element_located((By.ID, "org")))
    assert browser.find_element(By.ID, "org-name").text == "江州市政府"
    assert len(browser.find_elements(By.CSS_SELECTOR, "section.post svg rect.bar")) == 3
    screenshot(browser, "serve-org")
    assert not console_errors(browser)
