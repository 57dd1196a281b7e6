#!/usr/bin/env python3
"""Opens agentpath HTML reports in headless Chromium through the DevTools protocol and fails
on any console error, uncaught exception, CSP violation, network request other than the file
itself, or script execution planted by a hostile model (window.__pwned or a dialog). Saves a
screenshot of each report (light, and dark for the first), exercises the page script
(highlight, sort, filter) and prints the load time.

Usage: check_report.py --screenshots DIR [--hostile FILE ...] FILE ...
Needs Debian's `chromium` and the PyPI package websocket-client (.ci/requirements.txt)."""
import argparse
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

try:
    import websocket  # websocket-client
except ImportError:
    print("FAIL: the Python package websocket-client is missing (pip install -r .ci/requirements.txt)")
    sys.exit(2)

PROBE = """
window.__dialogs = [];
for (const f of ['alert', 'confirm', 'prompt', 'print', 'open']) {
  window[f] = function () { window.__pwned = window.__pwned || ('called ' + f); };
}
"""


class Page:
    def __init__(self, ws_url):
        self.ws = websocket.create_connection(ws_url, timeout=30, suppress_origin=True)
        self.next_id = 0
        self.events = []

    def call(self, method, **params):
        self.next_id += 1
        my = self.next_id
        self.ws.send(json.dumps({"id": my, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == my:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            if "method" in msg:
                self.events.append(msg)

    def drain(self, seconds):
        end = time.time() + seconds
        self.ws.settimeout(0.1)
        while time.time() < end:
            try:
                msg = json.loads(self.ws.recv())
                if "method" in msg:
                    self.events.append(msg)
            except websocket.WebSocketTimeoutException:
                pass
        self.ws.settimeout(30)

    def wait_for(self, method, seconds):
        end = time.time() + seconds
        while time.time() < end:
            if any(e["method"] == method for e in self.events):
                return True
            self.drain(0.1)
        return False

    def eval(self, expr):
        r = self.call("Runtime.evaluate", expression=expr, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise RuntimeError(f"evaluate failed: {r['exceptionDetails']}")
        return r["result"].get("value")


def start_chromium(profile):
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        print("FAIL: chromium is not installed (apt-get install chromium; .ci/run installs it)")
        sys.exit(2)
    proc = subprocess.Popen([exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                             "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
                             "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--mute-audio",
                             "--remote-debugging-port=0", "--remote-allow-origins=*", f"--user-data-dir={profile}",
                             "--window-size=1400,2000", "about:blank"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    port_file = os.path.join(profile, "DevToolsActivePort")
    for _ in range(300):
        if os.path.exists(port_file):
            with open(port_file) as f:
                port = f.readline().strip()
            if port:
                return proc, int(port)
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    proc.kill()
    print("FAIL: chromium did not start its DevTools endpoint")
    sys.exit(2)


def page_target(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as r:
        targets = json.load(r)
    for t in targets:
        if t.get("type") == "page":
            return t["webSocketDebuggerUrl"]
    with urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/json/new?about:blank", method="PUT"), timeout=10) as r:
        return json.load(r)["webSocketDebuggerUrl"]


def problems_in(events, file_url):
    out = []
    for e in events:
        m, p = e["method"], e.get("params", {})
        if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert", "warning"):
            out.append("console %s: %s" % (p["type"], " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", []))))
        elif m == "Runtime.exceptionThrown":
            d = p.get("exceptionDetails", {})
            out.append("uncaught exception: %s" % (d.get("exception", {}).get("description") or d.get("text")))
        elif m == "Log.entryAdded" and p["entry"].get("level") in ("error", "warning"):
            out.append("log %s (%s): %s %s" % (p["entry"]["level"], p["entry"].get("source"), p["entry"].get("text"), p["entry"].get("url", "")))
        elif m == "Network.requestWillBeSent":
            url = p["request"]["url"]
            if url != file_url and not url.startswith("data:"):
                out.append("request: %s" % url)
        elif m == "Network.loadingFailed":
            out.append("request failed or blocked: %s %s" % (p.get("errorText"), p.get("blockedReason", "")))
        elif m == "Page.javascriptDialogOpening":
            out.append("dialog opened: %s" % p.get("message"))
    return out


INTERACT = r"""
(() => {
  const r = {};
  const svg = document.getElementById('diagram');
  const btn = document.querySelector('.show-btn');
  if (btn) {
    btn.click();
    r.highlight = svg.classList.contains('dim') && svg.querySelectorAll('.hl').length > 0 && btn.getAttribute('aria-pressed') === 'true';
    document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape'}));
    r.clear = !svg.classList.contains('dim');
  }
  const table = document.querySelector('table[data-sortable] tbody');
  const sortBtn = document.querySelector('table[data-sortable] thead button');
  if (sortBtn) {
    sortBtn.click(); const a = table.rows[0].cells[0].textContent;
    sortBtn.click(); const b = table.rows[0].cells[0].textContent;
    r.sort = table.rows.length < 2 || a !== b || table.rows[0].cells[0].textContent === table.rows[table.rows.length - 1].cells[0].textContent;
  }
  const f = document.getElementById('path-filter');
  if (f) {
    f.value = 'zzzz-no-such-path'; document.getElementById('path-status').dispatchEvent(new Event('change'));
    r.filter = document.querySelectorAll('details.path:not([hidden])').length === 0;
    // A large model's path table (tr.prow): the same filter hides its rows.
    r.rowFilter = document.querySelectorAll('tr.prow:not([hidden])').length === 0;
    f.value = ''; document.getElementById('path-status').dispatchEvent(new Event('change'));
    r.unfilter = document.querySelectorAll('details.path[hidden]').length === 0 && document.querySelectorAll('tr.prow[hidden]').length === 0;
    // Status "waived" shows exactly the waived paths; "open" leaves them out (as the summary counts them).
    const sel = document.getElementById('path-status'), waived = document.querySelectorAll('details.path[data-waived]');
    sel.value = 'waived'; sel.dispatchEvent(new Event('change'));
    const shownW = Array.from(document.querySelectorAll('details.path:not([hidden])'));
    r.waivedFilter = shownW.length === waived.length && shownW.every(d => d.hasAttribute('data-waived'));
    sel.value = 'open'; sel.dispatchEvent(new Event('change'));
    r.waivedFilter = r.waivedFilter && !Array.from(document.querySelectorAll('details.path:not([hidden]), tr.prow:not([hidden])')).some(d => d.hasAttribute('data-waived'));
    r.rows = document.querySelectorAll('tr.prow').length;
    sel.value = ''; sel.dispatchEvent(new Event('change'));
    r.waivedCount = waived.length;
  }
  r.scripts = document.scripts.length;
  r.pwned = window.__pwned === undefined ? null : String(window.__pwned);
  r.iframes = document.querySelectorAll('iframe, object, embed, img, style:not(head style)').length;
  r.handlers = Array.from(document.querySelectorAll('*')).filter(el => Array.from(el.attributes).some(a => /^on/i.test(a.name))).length;
  r.jsLinks = Array.from(document.querySelectorAll('[href], [src], [action], [data]')).filter(el => /javascript:/i.test(el.getAttribute('href') || el.getAttribute('src') || '')).length;
  const nav = performance.getEntriesByType('navigation')[0];
  r.loadMs = nav ? Math.round(nav.loadEventEnd) : null;
  r.nodes = document.getElementsByTagName('*').length;
  return r;
})()
"""


def check(page, path, shots, hostile, dark):
    file_url = "file://" + os.path.abspath(path)
    page.events = []
    page.call("Page.navigate", url=file_url)
    if not page.wait_for("Page.loadEventFired", 60):
        return ["page did not finish loading in 60 s"], {}
    page.drain(0.5)
    problems = problems_in(page.events, file_url)
    page.events = []
    base = os.path.splitext(os.path.basename(path))[0]
    shot = page.call("Page.captureScreenshot", format="png")
    with open(os.path.join(shots, base + ".png"), "wb") as f:
        f.write(base64.b64decode(shot["data"]))
    r = page.eval(INTERACT)
    page.drain(0.2)
    problems += problems_in(page.events, file_url)
    if r.get("pwned"):
        problems.append("script execution planted by the model: window.__pwned = %s" % r["pwned"])
    if r.get("scripts") != 2:
        problems.append("expected exactly 2 script elements (data and page script), found %s" % r.get("scripts"))
    if r.get("handlers"):
        problems.append("%d element(s) with event-handler attributes" % r["handlers"])
    if r.get("jsLinks"):
        problems.append("%d javascript: URL(s) in attributes" % r["jsLinks"])
    if r.get("iframes"):
        problems.append("%d embedded iframe/object/img/style element(s) from the model" % r["iframes"])
    for key in ("highlight", "clear", "sort", "filter", "rowFilter", "unfilter", "waivedFilter"):
        if key in r and not r[key]:
            problems.append("page script: %s did not work" % key)
    if hostile:
        text = page.eval("document.body.innerText")
        if "window.__pwned" not in text:
            problems.append("the hostile strings are not shown as text")
    if dark:
        # The first report also shows a selected path: its hops lit, the rest dimmed.
        box = page.eval("""(() => { document.querySelector('.topbar').style.position = 'static';
            document.querySelector('.show-btn') && document.querySelector('.show-btn').click();
            const r = document.getElementById('diagram-section').getBoundingClientRect();
            return {x: r.left + window.scrollX, y: r.top + window.scrollY, w: r.width, h: r.height}; })()""")
        page.drain(0.8)
        if box and box["h"] > 0:
            shot = page.call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                             clip={"x": box["x"], "y": box["y"], "width": box["w"], "height": min(box["h"], 1600), "scale": 1})
            with open(os.path.join(shots, base + "-highlight.png"), "wb") as f:
                f.write(base64.b64decode(shot["data"]))
        page.eval("document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape'})); document.querySelector('.topbar').style.position = ''; window.scrollTo({top: 0, behavior: 'instant'})")
        page.call("Emulation.setEmulatedMedia", features=[{"name": "prefers-color-scheme", "value": "dark"}])
        page.drain(0.3)
        shot = page.call("Page.captureScreenshot", format="png")
        with open(os.path.join(shots, base + "-dark.png"), "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        page.call("Emulation.setEmulatedMedia", features=[{"name": "prefers-color-scheme", "value": "light"}])
    return problems, r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--screenshots", required=True)
    ap.add_argument("--hostile", action="append", default=[])
    ap.add_argument("files", nargs="*")
    args = ap.parse_args()
    os.makedirs(args.screenshots, exist_ok=True)
    profile = tempfile.mkdtemp(prefix="agentpath-chromium-")
    proc, port = start_chromium(profile)
    passed = failed = 0
    try:
        page = Page(page_target(port))
        for domain in ("Page", "Runtime", "Log", "Network"):
            page.call(domain + ".enable")
        page.call("Page.addScriptToEvaluateOnNewDocument", source=PROBE)
        page.call("Emulation.setDeviceMetricsOverride", width=1400, height=2000, deviceScaleFactor=1, mobile=False)
        for i, path in enumerate(args.files + args.hostile):
            hostile = path in args.hostile
            problems, r = check(page, path, args.screenshots, hostile, dark=(i == 0))
            size = os.path.getsize(path)
            status = "ok" if not problems else "FAIL"
            print(f"{status}: {path}: {size} bytes, load {r.get('loadMs')} ms, {r.get('nodes')} DOM nodes, {r.get('waivedCount')} waived"
                  + (" (hostile strings shown as text, none executed)" if hostile and not problems else ""))
            for p in problems:
                print("    " + p)
            if problems:
                failed += 1
            else:
                passed += 1
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(profile, ignore_errors=True)
    print(f"screenshots: {args.screenshots}")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
