"""Opening a page of the app the way a link does, in Streamlit's AppTest."""

from streamlit.testing.v1 import AppTest


def open_page(page, params=None):
    """The router runs first (it registers the pages), then the page's link."""
    params = dict(params or {})
    at = AppTest.from_file("../streamlit_app.py", default_timeout=60)
    if "present" in params:
        at.query_params["present"] = params.pop("present")
    at.run()
    at.query_params.clear()
    for key, value in params.items():
        at.query_params[key] = value
    return at.switch_page(page).run()
