//! The dashboard in a real browser: `lexiscope report` makes a report of a
//! small corpus, then its `index.html` is opened from disk in headless
//! Chromium (Debian's `chromium`) with the network cut off, and driven
//! through the DevTools protocol as a person would use it: the charts
//! load, clicking a column header sorts the table, typing in the filter box
//! hides rows, and markup in the corpus shows as text and never runs.
//!
//! The same code makes the README's screenshot (`docs/dashboard.png`):
//!
//! ```sh
//! cargo test --release --test integration dashboard_screenshot -- --ignored
//! ```
//!
//! Without Chromium the browser test is skipped with a loud message, except
//! when the environment variable `CI` is set: then it fails (`.ci/run`
//! installs Chromium first).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tungstenite::{Message, WebSocket};

use crate::util::{client_missing, on_path, parse_csv, repo, Workdir};

/// How long Chromium may take to open its DevTools port and its first tab.
const STARTUP: Duration = Duration::from_secs(60);
/// How long one DevTools command (including an awaited script) may take.
const CALL: Duration = Duration::from_secs(60);
/// How long the page may take to fire its load event.
const LOAD: Duration = Duration::from_secs(60);

/// The Chromium executable: the file named by `LEXISCOPE_CHROMIUM` when
/// that is set (another Chromium or Chrome), else `chromium` on `PATH`
/// (Debian's package).
fn find_chromium() -> Option<PathBuf> {
    if let Some(exe) = std::env::var_os("LEXISCOPE_CHROMIUM") {
        let exe = PathBuf::from(exe);
        return exe.is_file().then_some(exe);
    }
    on_path("chromium", &["/usr/bin"])
}

/// Chromium, or `None` after a loud message when it is not installed. Under
/// CI (the `CI` variable set) a missing Chromium is a failure, never a skip.
fn chromium_or_skip(test: &str) -> Option<PathBuf> {
    let found = find_chromium();
    if found.is_none() {
        client_missing(
            test,
            "Chromium is not installed (no `chromium` on PATH, or LEXISCOPE_CHROMIUM names \
             no file), so the dashboard was NOT checked in a browser. Install it \
             (Debian/Ubuntu: apt-get install chromium) or run .ci/run, which installs it.",
        );
    }
    found
}

/// A headless Chromium with a fresh profile and no network; killed (with
/// every process it started) when dropped, also when a test panics.
struct Browser {
    child: Child,
    /// Holds the profile and Chromium's log; removed after the kill.
    dir: tempfile::TempDir,
    port: u16,
}

impl Browser {
    fn launch(exe: &Path) -> Browser {
        let dir = tempfile::Builder::new()
            .prefix("lexiscope-chromium")
            .tempdir()
            .expect("temp dir for Chromium");
        let profile = dir.path().join("profile");
        let log = std::fs::File::create(dir.path().join("chromium.log")).expect("Chromium log");
        let child = {
            use std::os::unix::process::CommandExt;
            Command::new(exe)
                .args([
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--disable-quic",
                    "--disable-extensions",
                    "--disable-default-apps",
                    "--no-first-run",
                    "--no-default-browser-check",
                    "--mute-audio",
                    "--hide-scrollbars",
                    "--force-device-scale-factor=1",
                    "--window-size=1280,900",
                    // No network: every host name fails to resolve, and
                    // whatever is not resolved goes to a closed local port
                    // (loopback included).
                    "--host-resolver-rules=MAP * ~NOTFOUND",
                    "--proxy-server=127.0.0.1:9",
                    "--proxy-bypass-list=<-loopback>",
                    "--remote-debugging-address=127.0.0.1",
                    "--remote-debugging-port=0",
                ])
                .arg(format!("--user-data-dir={}", profile.display()))
                .arg("about:blank")
                .stdin(Stdio::null())
                .stdout(log.try_clone().expect("Chromium log"))
                .stderr(log)
                // Its own process group, so that the kill reaches the
                // renderer, GPU and utility processes too.
                .process_group(0)
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {}: {e}", exe.display()))
        };
        let mut browser = Browser {
            child,
            dir,
            port: 0,
        };
        let started = Instant::now();
        let active = profile.join("DevToolsActivePort");
        loop {
            // "PORT\n/devtools/browser/ID\n", written once it listens.
            if let Ok(text) = std::fs::read_to_string(&active) {
                if let Some(port) = text
                    .split_once('\n')
                    .and_then(|(p, _)| p.trim().parse::<u16>().ok())
                    .filter(|p| *p != 0)
                {
                    browser.port = port;
                    return browser;
                }
            }
            if let Ok(Some(status)) = browser.child.try_wait() {
                panic!(
                    "Chromium exited ({status}) before opening its DevTools port; its output:\n{}",
                    browser.log()
                );
            }
            assert!(
                started.elapsed() < STARTUP,
                "Chromium did not open its DevTools port within {STARTUP:?}; its output:\n{}",
                browser.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Chromium's own output so far (for failure messages).
    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("chromium.log")).unwrap_or_default()
    }

    /// The browser's version, e.g. `Chrome/120.0.6099.224`.
    fn version(&self) -> String {
        let v = http_get_json(self.port, "/json/version");
        v["Browser"].as_str().unwrap_or("unknown").to_string()
    }

    /// A DevTools session on the browser's first tab.
    fn page(&self) -> Page {
        let started = Instant::now();
        loop {
            let targets = http_get_json(self.port, "/json/list");
            let url = targets.as_array().and_then(|ts| {
                ts.iter()
                    .find(|t| t["type"] == "page")
                    .and_then(|t| t["webSocketDebuggerUrl"].as_str())
                    .map(str::to_string)
            });
            if let Some(url) = url {
                return Page::connect(&url);
            }
            assert!(
                started.elapsed() < STARTUP,
                "Chromium opened no tab within {STARTUP:?}: {targets}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // The whole process group first (its id is the browser's), then the
        // browser itself in case the group kill could not run.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("sh")
            .args(["-c", "kill -s KILL -- \"$1\" 2>/dev/null", "sh", &group])
            .stdin(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `GET path` on Chromium's DevTools HTTP endpoint, parsed as JSON.
fn http_get_json(port: u16, path: &str) -> Value {
    let mut stream = TcpStream::connect(("127.0.0.1", port))
        .unwrap_or_else(|e| panic!("connect to Chromium's DevTools port {port}: {e}"));
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("read timeout");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .expect("send HTTP request");
    let mut bytes = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        let n = stream
            .read(&mut buf)
            .unwrap_or_else(|e| panic!("read {path} from Chromium: {e}"));
        if n == 0 {
            break;
        }
        bytes.extend_from_slice(&buf[..n]);
        // Stop at Content-Length even if the server keeps the connection.
        let text = String::from_utf8_lossy(&bytes);
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end].lines().find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case("content-length")
                    .then(|| v.trim().parse::<usize>().ok())?
            });
            if length.is_some_and(|len| bytes.len() >= end + 4 + len) {
                break;
            }
        }
    }
    let text = String::from_utf8_lossy(&bytes);
    let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{path}: not JSON ({e}): {text}"))
}

/// Sets up every page before its own scripts run: dialogs are recorded
/// instead of shown, so injected `alert(1)` would be seen, not block.
const HOOK: &str = r#"
window.__lexiscopeDialogs = [];
["alert", "confirm", "prompt", "print"].forEach(function (name) {
  window[name] = function (message) {
    window.__lexiscopeDialogs.push(name + ": " + message);
    return null;
  };
});
"#;

/// A DevTools protocol session on one tab: JSON commands over a websocket,
/// every event kept for the checks at the end.
struct Page {
    ws: WebSocket<TcpStream>,
    next_id: u64,
    events: Vec<Value>,
}

impl Page {
    fn connect(url: &str) -> Page {
        let addr = url
            .strip_prefix("ws://")
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("unexpected DevTools address {url}"));
        let stream = TcpStream::connect(addr).unwrap_or_else(|e| panic!("connect {addr}: {e}"));
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("read timeout");
        let (mut ws, _) = tungstenite::client(url, stream)
            .unwrap_or_else(|e| panic!("websocket handshake with {url}: {e}"));
        // From now on reads wait at most this long, so every wait below can
        // check its own deadline.
        ws.get_mut()
            .set_read_timeout(Some(Duration::from_millis(100)))
            .expect("read timeout");
        Page {
            ws,
            next_id: 0,
            events: Vec::new(),
        }
    }

    fn send(&mut self, method: &str, params: Value) -> u64 {
        self.next_id += 1;
        let msg = json!({ "id": self.next_id, "method": method, "params": params });
        self.ws
            .send(Message::text(msg.to_string()))
            .unwrap_or_else(|e| panic!("send {method} to Chromium: {e}"));
        self.next_id
    }

    /// The next message, or `None` when none came within the read timeout.
    fn poll(&mut self) -> Option<Value> {
        match self.ws.read() {
            Ok(Message::Text(text)) => Some(
                serde_json::from_str(text.as_str())
                    .unwrap_or_else(|e| panic!("DevTools message is not JSON ({e}): {text}")),
            ),
            Ok(_) => None,
            Err(tungstenite::Error::Io(e))
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                None
            }
            Err(e) => panic!("lost the DevTools connection to Chromium: {e}"),
        }
    }

    fn on_event(&mut self, event: Value) {
        if event["method"] == "Page.javascriptDialogOpening" {
            // A real dialog would block the page; close it (and fail later).
            self.send("Page.handleJavaScriptDialog", json!({ "accept": true }));
        }
        self.events.push(event);
    }

    /// Sends a command and waits for its result; events met on the way are kept.
    #[track_caller]
    fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.send(method, params);
        let started = Instant::now();
        loop {
            if let Some(msg) = self.poll() {
                if msg["id"] == id {
                    if let Some(err) = msg.get("error") {
                        panic!("DevTools {method} failed: {err}");
                    }
                    return msg["result"].clone();
                }
                if msg.get("method").is_some() {
                    self.on_event(msg);
                }
            }
            assert!(
                started.elapsed() < CALL,
                "Chromium did not answer {method} within {CALL:?}"
            );
        }
    }

    /// Waits for an event named `method` among those received from index
    /// `since` on.
    fn wait_event(&mut self, method: &str, since: usize, timeout: Duration) -> Value {
        let started = Instant::now();
        loop {
            if let Some(e) = self.events[since..].iter().find(|e| e["method"] == method) {
                return e.clone();
            }
            if let Some(msg) = self.poll() {
                if msg.get("method").is_some() {
                    self.on_event(msg);
                }
            }
            assert!(
                started.elapsed() < timeout,
                "no {method} within {timeout:?}; events so far: {:?}",
                self.events
                    .iter()
                    .map(|e| e["method"].as_str().unwrap_or(""))
                    .collect::<Vec<_>>()
            );
        }
    }

    /// Evaluates a JavaScript expression (awaiting a promise) and returns its
    /// value as JSON; a thrown error fails the test.
    #[track_caller]
    fn eval(&mut self, expression: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({
                "expression": expression,
                "awaitPromise": true,
                "returnByValue": true,
                "userGesture": true,
            }),
        );
        if let Some(ex) = r.get("exceptionDetails") {
            panic!(
                "JavaScript failed: {}\n{}",
                ex["exception"]["description"].as_str().unwrap_or(""),
                expression
            );
        }
        r["result"]["value"].clone()
    }

    /// Turns on the event domains, installs [`HOOK`], navigates to `url`
    /// and waits for the load event.
    fn open(&mut self, url: &str) {
        for domain in ["Runtime", "Log", "Network", "Page"] {
            self.call(&format!("{domain}.enable"), json!({}));
        }
        self.call(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": HOOK }),
        );
        let since = self.events.len();
        let nav = self.call("Page.navigate", json!({ "url": url }));
        if let Some(err) = nav.get("errorText") {
            panic!("Chromium could not open {url}: {err}");
        }
        self.wait_event("Page.loadEventFired", since, LOAD);
    }

    /// A left click at viewport coordinates (CSS pixels).
    fn click(&mut self, x: f64, y: f64) {
        for (kind, button) in [
            ("mouseMoved", "none"),
            ("mousePressed", "left"),
            ("mouseReleased", "left"),
        ] {
            self.call(
                "Input.dispatchMouseEvent",
                json!({ "type": kind, "x": x, "y": y, "button": button, "clickCount": 1 }),
            );
        }
    }

    /// Presses and releases one key (e.g. `Backspace`, key code 8).
    fn key(&mut self, key: &str, code: u32) {
        for kind in ["rawKeyDown", "keyUp"] {
            self.call(
                "Input.dispatchKeyEvent",
                json!({ "type": kind, "key": key, "code": key, "windowsVirtualKeyCode": code }),
            );
        }
    }

    /// Lets pending work (events, timers, layout) run before the next check.
    fn settle(&mut self) {
        self.eval("new Promise(function (r) { requestAnimationFrame(function () { setTimeout(r, 0); }); })");
    }

    /// Everything that went wrong while the page was open: console errors,
    /// uncaught exceptions, browser log errors, dialogs, and any request
    /// that was not for a local file or inline data.
    fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        for e in &self.events {
            let p = &e["params"];
            match e["method"].as_str().unwrap_or("") {
                "Runtime.consoleAPICalled" if p["type"] == "error" || p["type"] == "assert" => {
                    out.push(format!("console.{}: {}", p["type"], p["args"]));
                }
                "Runtime.exceptionThrown" => out.push(format!(
                    "uncaught exception: {} {}",
                    p["exceptionDetails"]["text"],
                    p["exceptionDetails"]["exception"]["description"]
                )),
                "Log.entryAdded" if p["entry"]["level"] == "error" => out.push(format!(
                    "browser error ({}): {} {}",
                    p["entry"]["source"], p["entry"]["text"], p["entry"]["url"]
                )),
                "Network.requestWillBeSent" => {
                    let url = p["request"]["url"].as_str().unwrap_or("");
                    if !(url.starts_with("file://") || url.starts_with("data:")) {
                        out.push(format!("network request: {url}"));
                    }
                }
                "Network.loadingFailed" => out.push(format!(
                    "failed to load ({}): {}",
                    p["errorText"], p["type"]
                )),
                "Page.javascriptDialogOpening" => {
                    out.push(format!("{} dialog: {}", p["type"], p["message"]));
                }
                _ => {}
            }
        }
        out
    }

    /// URLs of every request the page made.
    fn requests(&self) -> Vec<String> {
        self.events
            .iter()
            .filter(|e| e["method"] == "Network.requestWillBeSent")
            .filter_map(|e| e["params"]["request"]["url"].as_str().map(str::to_string))
            .collect()
    }
}

/// `file://` URL of a local file.
fn file_url(path: &Path) -> String {
    let abs = path.canonicalize().expect("absolute path");
    let mut url = String::from("file://");
    for b in abs.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'.' | b'_' | b'-' | b'~') {
            url.push(b as char);
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

/// Helpers defined before each script that works on the dashboard's tables.
const JS: &str = r#"
function card(name) {
  var c = Array.prototype.find.call(document.querySelectorAll("article.table-card"), function (c) {
    return c.querySelector("h3").textContent === name;
  });
  if (!c) { throw new Error("no table named " + name); }
  return c;
}
function colIndex(c, col) {
  var names = Array.prototype.map.call(c.querySelectorAll("thead th"), function (th) { return th.textContent; });
  var i = names.indexOf(col);
  if (i < 0) { throw new Error("no column " + col + " in " + names.join(",")); }
  return i;
}
function values(name, col) {
  var c = card(name), i = colIndex(c, col);
  return Array.prototype.filter.call(c.querySelectorAll("tbody tr"), function (r) { return !r.hidden; })
    .map(function (r) { return r.cells[i].textContent; });
}
function center(el) {
  el.scrollIntoView({ block: "center", inline: "center", behavior: "instant" });
  var r = el.getBoundingClientRect();
  var x = r.left + r.width / 2, y = r.top + r.height / 2;
  var hit = document.elementFromPoint(x, y);
  if (hit !== el && !el.contains(hit)) {
    throw new Error("something covers " + el.outerHTML + ": " + (hit && hit.outerHTML));
  }
  return [x, y];
}
"#;

fn js_str(s: &str) -> String {
    Value::from(s).to_string()
}

/// The visible values of one column of a dashboard table, top to bottom.
fn column(page: &mut Page, table: &str, col: &str) -> Vec<String> {
    let v = page.eval(&format!("{JS} values({}, {})", js_str(table), js_str(col)));
    serde_json::from_value(v).expect("column values")
}

/// Clicks the header of a column, as a mouse would; returns its `aria-sort`.
fn click_header(page: &mut Page, table: &str, col: &str) -> String {
    let (t, c) = (js_str(table), js_str(col));
    let xy = page.eval(&format!(
        "{JS} (function () {{ var c = card({t}); \
         return center(c.querySelectorAll('thead th')[colIndex(c, {c})].querySelector('button')); }})()"
    ));
    page.click(xy[0].as_f64().unwrap(), xy[1].as_f64().unwrap());
    page.settle();
    page.eval(&format!(
        "{JS} (function () {{ var c = card({t}); \
         return c.querySelectorAll('thead th')[colIndex(c, {c})].getAttribute('aria-sort'); }})()"
    ))
    .as_str()
    .unwrap_or("none")
    .to_string()
}

/// Clicks into a table's filter box, clears it with Backspace and types
/// `text` (nothing for an empty string); returns the "n of m shown" note.
fn type_filter(page: &mut Page, table: &str, text: &str) -> String {
    let t = js_str(table);
    let xy = page.eval(&format!(
        "{JS} center(card({t}).querySelector('input.filter'))"
    ));
    page.click(xy[0].as_f64().unwrap(), xy[1].as_f64().unwrap());
    let focused = page.eval(&format!(
        "{JS} document.activeElement === card({t}).querySelector('input.filter')"
    ));
    assert_eq!(
        focused, true,
        "a click puts the cursor in the filter box of {table}"
    );
    page.eval(&format!(
        "{JS} card({t}).querySelector('input.filter').select()"
    ));
    page.key("Backspace", 8);
    if !text.is_empty() {
        page.call("Input.insertText", json!({ "text": text }));
    }
    page.settle();
    let value = page.eval(&format!(
        "{JS} card({t}).querySelector('input.filter').value"
    ));
    assert_eq!(
        value, text,
        "the filter box of {table} holds what was typed"
    );
    page.eval(&format!(
        "{JS} card({t}).querySelector('.shown').textContent"
    ))
    .as_str()
    .unwrap_or("")
    .to_string()
}

/// Scrolls every image into view (they load lazily), waits for each to
/// load or fail, and returns `[src, complete, naturalWidth]` per image.
fn load_images(page: &mut Page) -> Vec<(String, bool, u64)> {
    let v = page.eval(
        r#"(async function () {
          var out = [];
          for (var img of Array.prototype.slice.call(document.images)) {
            img.scrollIntoView({ block: "center", behavior: "instant" });
            if (!img.complete) {
              await new Promise(function (done) {
                img.addEventListener("load", done, { once: true });
                img.addEventListener("error", done, { once: true });
                setTimeout(done, 15000);
              });
            }
            out.push([img.getAttribute("src"), img.complete, img.naturalWidth]);
          }
          window.scrollTo({ top: 0, behavior: "instant" });
          return out;
        })()"#,
    );
    serde_json::from_value(v).expect("image list")
}

/// Headline figures that the layout broke over more than one line (as
/// "2,067,11" above "1" in cards too narrow for their number).
fn wrapped_headlines(page: &mut Page) -> Vec<String> {
    let v = page.eval(
        r#"Array.prototype.filter.call(document.querySelectorAll(".card .value"), function (el) {
          var range = document.createRange();
          range.selectNodeContents(el);
          var tops = new Set(Array.prototype.map.call(range.getClientRects(), function (r) {
            return Math.round(r.top);
          }));
          return tops.size > 1;
        }).map(function (el) { return el.textContent; })"#,
    );
    serde_json::from_value(v).expect("headline list")
}

// Markup in the fixture corpus: a title, a group, a column name, a file name.
const EVIL_TITLE: &str = "<script>alert(1)</script>";
const EVIL_GROUP: &str = "<b>Beta</b> & co's";
const EVIL_COLUMN: &str = "<i>note</i>";
const EVIL_FILE: &str = "<img src=x onerror=window.__xss=1>.txt";

/// The fixture: three outlets (one spelled with markup), dates over three
/// weeks, documents of very different lengths (so text order and number
/// order of their token counts differ), a title that is a script tag, a
/// metadata column whose name is markup, a frequent word with an
/// apostrophe, and a text file whose name is an `<img onerror>` tag.
fn write_corpus(w: &Workdir) {
    let words = [
        "The team said the new stadium plan was a great success for the city.",
        "O'Neill told reporters the teams were angry about the terrible delay.",
        "Officials said the steam plant would close; the teammate was happy.",
        "O'Neill praised the wonderful volunteers and the city council.",
    ];
    let text = |n: usize| -> String {
        // n sentences, cycling through the four above.
        (0..n).map(|i| words[i % 4]).collect::<Vec<_>>().join(" ")
    };
    let mut csv = format!("title,outlet,date,{EVIL_COLUMN},text\n");
    let rows: [(&str, &str, &str, usize); 9] = [
        (EVIL_TITLE, EVIL_GROUP, "2021-03-01", 1),
        ("Budget row", EVIL_GROUP, "2021-03-03", 9),
        ("Stadium vote", EVIL_GROUP, "2021-03-09", 2),
        ("Council news", "alpha daily", "2021-03-02", 25),
        ("Quiet week", "alpha daily", "2021-03-10", 3),
        ("Late night", "alpha daily", "2021-03-17", 12),
        ("Steam plant", "Zeta News", "2021-03-04", 4),
        ("Volunteers", "Zeta News", "2021-03-11", 40),
        ("Final word", "Zeta News", "2021-03-19", 6),
    ];
    for (i, (title, outlet, date, n)) in rows.iter().enumerate() {
        let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        csv.push_str(&format!(
            "{},{},{date},{},{}\n",
            quote(title),
            quote(outlet),
            quote(&format!("<u>row {i}</u>")),
            quote(&text(*n))
        ));
    }
    w.write("in/news.csv", csv);
    w.write(
        &format!("in/{EVIL_FILE}"),
        "A short <b>bold</b> note: <script>alert(2)</script> O'Neill was happy.",
    );
}

/// The injection checks' view of the page.
const INJECTION_PROBE: &str = r#"(function () {
  var handlers = [];
  document.querySelectorAll("*").forEach(function (el) {
    Array.prototype.forEach.call(el.attributes, function (a) {
      if (/^on/i.test(a.name)) { handlers.push(el.tagName + " " + a.name); }
    });
  });
  return {
    scripts: document.scripts.length,
    handlers: handlers,
    xss: typeof window.__xss,
    dialogs: window.__lexiscopeDialogs,
    markup: document.querySelectorAll("b, i, u").length,
    title: document.title,
    subtitle: document.querySelector(".subtitle").textContent,
    texts: Array.prototype.map.call(document.querySelectorAll("th, td, dd"), function (e) { return e.textContent; })
  };
})()"#;

#[test]
fn dashboard_works_in_headless_chromium() {
    let Some(exe) = chromium_or_skip("dashboard_works_in_headless_chromium") else {
        return;
    };
    let w = Workdir::new();
    write_corpus(&w);
    w.run(&[
        "report",
        "in/news.csv",
        &format!("in/{EVIL_FILE}"),
        "-o",
        "out",
        "-q",
    ])
    .ok();
    let out = w.path().join("out");

    let browser = Browser::launch(&exe);
    let mut page = browser.page();
    page.open(&file_url(&out.join("index.html")));

    // Headline figures each fit on one line at 1280 px. (The check sees a
    // broken figure: squeeze the cards, look, undo.)
    assert_eq!(
        page.eval("document.querySelectorAll('.card .value').length"),
        json!(8),
        "headline figures"
    );
    assert_eq!(wrapped_headlines(&mut page), Vec::<String>::new());
    page.eval("document.querySelector('.cards').style.gridTemplateColumns = 'repeat(8, 40px)'");
    assert!(!wrapped_headlines(&mut page).is_empty());
    page.eval("document.querySelector('.cards').style.gridTemplateColumns = ''");

    // Every chart loads, and is a file of the report.
    let images = load_images(&mut page);
    let mut on_disk: Vec<String> = std::fs::read_dir(out.join("charts"))
        .expect("charts folder")
        .map(|e| format!("charts/{}", e.unwrap().file_name().to_string_lossy()))
        .filter(|name| name.ends_with(".png"))
        .collect();
    on_disk.sort();
    assert!(on_disk.len() >= 8, "only {} charts drawn", on_disk.len());
    for (src, complete, width) in &images {
        assert!(
            *complete && *width > 0,
            "chart {src} did not load (complete {complete}, naturalWidth {width})"
        );
        assert!(out.join(src).is_file(), "chart {src} is not in the report");
    }
    let mut shown: Vec<String> = images.iter().map(|(src, _, _)| src.clone()).collect();
    shown.sort();
    assert_eq!(shown, on_disk, "one <img> per chart file");
    // And every link (zoomed charts, CSV downloads) points at a file that exists.
    let links = page.eval(
        "Array.prototype.map.call(document.querySelectorAll('a[href]'), function (a) { return a.getAttribute('href'); })",
    );
    let links: Vec<String> = serde_json::from_value(links).unwrap();
    let files: Vec<&String> = links.iter().filter(|l| !l.starts_with('#')).collect();
    assert!(files.len() >= 10 + on_disk.len(), "links: {links:?}");
    for l in files {
        assert!(out.join(l).is_file(), "link {l} points at no file");
    }

    // Sorting: numbers as numbers. documents.csv's token counts are chosen
    // so that text order would differ from number order.
    let (header, docs) = parse_csv(&w.read("out/documents.csv"));
    let tokens_col = header.iter().position(|h| h == "tokens").unwrap();
    let tokens: Vec<u64> = docs
        .iter()
        .map(|r| r[tokens_col].parse().unwrap())
        .collect();
    let mut by_number = tokens.clone();
    by_number.sort_unstable_by(|a, b| b.cmp(a));
    let mut by_text: Vec<String> = tokens.iter().map(u64::to_string).collect();
    by_text.sort_unstable_by(|a, b| b.cmp(a));
    assert_ne!(
        by_text,
        by_number.iter().map(u64::to_string).collect::<Vec<_>>(),
        "the fixture must tell numeric from text sorting"
    );
    let doc_ids_before = {
        let mut ids = column(&mut page, "Documents", "doc_id");
        ids.sort();
        ids
    };
    assert_eq!(click_header(&mut page, "Documents", "tokens"), "descending");
    let seen = column(&mut page, "Documents", "tokens");
    assert_eq!(
        seen,
        by_number.iter().map(u64::to_string).collect::<Vec<_>>(),
        "first click on a number column: largest first"
    );
    assert_eq!(click_header(&mut page, "Documents", "tokens"), "ascending");
    let mut ascending = by_number.clone();
    ascending.reverse();
    assert_eq!(
        column(&mut page, "Documents", "tokens"),
        ascending.iter().map(u64::to_string).collect::<Vec<_>>(),
        "second click: smallest first"
    );
    // Rows move whole: every document is still there once.
    let mut ids_after = column(&mut page, "Documents", "doc_id");
    ids_after.sort();
    assert_eq!(ids_after, doc_ids_before);
    // The row of each document keeps its own token count.
    let pairs_dom: Vec<(String, String)> = column(&mut page, "Documents", "doc_id")
        .into_iter()
        .zip(column(&mut page, "Documents", "tokens"))
        .collect();
    for (id, n) in &pairs_dom {
        let row = docs.iter().find(|r| &r[0] == id).expect("document row");
        assert_eq!(&row[tokens_col], n, "tokens of {id} after sorting");
    }

    // Sorting text: case-insensitive, markup sorts as its characters.
    assert_eq!(click_header(&mut page, "Groups", "group"), "ascending");
    assert_eq!(
        column(&mut page, "Groups", "group"),
        [EVIL_GROUP, "alpha daily", "Zeta News"]
    );
    assert_eq!(click_header(&mut page, "Groups", "group"), "descending");
    assert_eq!(
        column(&mut page, "Groups", "group"),
        ["Zeta News", "alpha daily", EVIL_GROUP]
    );

    // Filtering: a row stays when one of its cells contains the typed text,
    // ignoring case. Expected rows come from terms.csv itself.
    let (_, terms) = parse_csv(&w.read("out/terms.csv"));
    let preview: Vec<&Vec<String>> = terms.iter().take(50).collect();
    let expect = |q: &str| -> Vec<String> {
        let q = q.trim().to_lowercase();
        preview
            .iter()
            .filter(|r| r.iter().any(|c| c.to_lowercase().contains(&q)))
            .map(|r| r[0].clone())
            .collect()
    };
    // A query that would match across the boundary of two cells (the end of
    // the first term and the start of its count) but inside none of them.
    let straddle = {
        let r = preview[0];
        format!("{}{}", r[0].chars().last().unwrap(), r[1])
    };
    for q in ["TEAM", "o'neill", straddle.as_str(), "no such word"] {
        let note = type_filter(&mut page, "Terms", q);
        let want = expect(q);
        assert_eq!(column(&mut page, "Terms", "term"), want, "filter {q:?}");
        assert_eq!(
            note,
            format!("\u{b7} {} of {} shown", want.len(), preview.len()),
            "filter {q:?}"
        );
    }
    assert!(
        expect("TEAM").len() >= 3,
        "team, teams, teammate, steam: {:?}",
        expect("TEAM")
    );
    assert!(expect("no such word").is_empty());
    let note = type_filter(&mut page, "Terms", "");
    assert_eq!(note, "", "an empty filter shows every row");
    assert_eq!(column(&mut page, "Terms", "term").len(), preview.len());
    // Markup typed into the filter is text too.
    type_filter(&mut page, "Groups", "<b>");
    assert_eq!(column(&mut page, "Groups", "group"), [EVIL_GROUP]);

    // Markup from the corpus is shown as text and never runs.
    let mut probe = page.eval(INJECTION_PROBE);
    let texts: Vec<String> = serde_json::from_value(probe["texts"].take()).unwrap();
    assert_eq!(probe["scripts"], 1, "only the page's own script: {probe}");
    assert_eq!(probe["handlers"], json!([]), "no inline event handlers");
    assert_eq!(probe["xss"], "undefined", "an injected handler ran");
    assert_eq!(probe["dialogs"], json!([]), "an injected script ran");
    assert_eq!(probe["markup"], 0, "corpus markup became elements: {probe}");
    assert_eq!(probe["title"], "Lexiscope report");
    for literal in [
        EVIL_TITLE,
        EVIL_GROUP,
        EVIL_COLUMN,
        EVIL_FILE,
        "<u>row 0</u>",
        "o'neill",
    ] {
        assert!(
            texts.iter().any(|t| t == literal),
            "{literal:?} is not shown as text in a table"
        );
    }
    let subtitle = probe["subtitle"].as_str().unwrap();
    assert!(subtitle.contains(EVIL_FILE), "{subtitle}");

    // The request log works (the charts were fetched from disk) and shows
    // nothing else; no errors anywhere.
    let requests = page.requests();
    assert!(
        requests
            .iter()
            .any(|u| u.starts_with("file://") && u.ends_with("/charts/top_terms.png")),
        "requests: {requests:?}"
    );
    let problems = page.problems();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(browser.version().contains("Chrome/"));
}

/// A PNG of the top of the dashboard at `path` as a `width` CSS pixels wide
/// window shows it: `height` pixels, or the whole page when it is shorter.
/// Fails on the same problems as the test (errors, requests, broken images).
fn screenshot(exe: &Path, path: &Path, width: u32, height: u32) -> Vec<u8> {
    let browser = Browser::launch(exe);
    let mut page = browser.page();
    page.call(
        "Emulation.setDeviceMetricsOverride",
        json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false }),
    );
    page.open(&file_url(path));
    for (src, complete, w) in load_images(&mut page) {
        assert!(complete && w > 0, "chart {src} did not load");
    }
    page.settle();
    let wrapped = wrapped_headlines(&mut page);
    assert!(
        wrapped.is_empty(),
        "headline figures broken over two lines: {wrapped:?}"
    );
    let full = page.eval("document.documentElement.scrollHeight");
    let h = full
        .as_u64()
        .map_or(height, |f| f.min(u64::from(height)) as u32);
    let shot = page.call(
        "Page.captureScreenshot",
        json!({
            "format": "png",
            "clip": { "x": 0, "y": 0, "width": width, "height": h, "scale": 1 },
        }),
    );
    let problems = page.problems();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let png = base64_decode(shot["data"].as_str().expect("screenshot data"));
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    png
}

/// Decodes standard base64 (the screenshot's encoding).
fn base64_decode(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0u32);
    for b in text.bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            _ => continue,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

#[test]
fn base64_decodes() {
    assert_eq!(base64_decode("aGVsbG8gd29ybGQ="), b"hello world");
    assert_eq!(base64_decode("iVBORw0KGgo="), b"\x89PNG\r\n\x1a\n");
    assert_eq!(base64_decode(""), b"");
}

/// Regenerates `docs/dashboard.png` from the bundled corpus:
/// `cargo test --release --test integration dashboard_screenshot -- --ignored`.
#[test]
#[ignore = "writes docs/dashboard.png; run it on purpose, with --release"]
fn dashboard_screenshot() {
    let exe = find_chromium().expect("the screenshot needs Chromium: `chromium` on PATH");
    let out = tempfile::Builder::new()
        .prefix("lexiscope-screenshot")
        .tempdir()
        .expect("temp dir");
    let status = Command::new(env!("CARGO_BIN_EXE_lexiscope"))
        .current_dir(repo())
        .args(["report", "-q", "-o"])
        .arg(out.path())
        .stdin(Stdio::null())
        .status()
        .expect("run lexiscope");
    assert!(status.success(), "lexiscope report failed: {status}");
    let png = screenshot(&exe, &out.path().join("index.html"), 1280, 1600);
    std::fs::write(repo().join("docs/dashboard.png"), png).expect("write docs/dashboard.png");
}
