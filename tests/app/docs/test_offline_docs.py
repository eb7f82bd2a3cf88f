"""/api/v1/docs works without internet: Swagger UI's files come from FirstFix itself."""

from playwright.sync_api import expect

from tests.app.browser import offline_page


def test_the_docs_page_names_no_other_host(client):
    page = client.get("/api/v1/docs").get_data(as_text=True)
    script = client.get("/docs-assets/swagger-ui/swagger-ui-bundle.js")

    assert "//" not in page.replace("http://", "").split("<script>")[0]
    assert 'src="/docs-assets/swagger-ui/swagger-ui-bundle.js"' in page
    assert script.status_code == 200 and script.mimetype == "text/javascript"


def test_the_docs_render_in_chromium_with_every_other_host_refused(
    browser, served, tmp_path, capsys
):
    page = offline_page(browser, served)
    screenshot = tmp_path / "docs.png"

    page.goto(f"{served}/api/v1/docs")

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("FirstFix")
    expect(page.locator(".opblock-tag-section").first).to_be_visible()
    page.screenshot(path=str(screenshot))
    with capsys.disabled():
        print(f"\ndocs screenshot: {screenshot}")
