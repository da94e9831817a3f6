/* The embeddable search box. On any page:
 *   <script src="https://OUR-SITE/static/widget.js" defer></script>
 *   <div data-kb-widget></div>
 * Options (data attributes): data-api (our address; default: where this script came from),
 * data-placeholder, data-region (the host center's 자치구, sent with questions), data-audience
 * (worker | employer | counselor; filters the search, sent with questions), data-max-results (1-10). Theme with CSS custom properties on the
 * div: --kb-accent, --kb-font, --kb-radius, --kb-bg, --kb-text, --kb-muted, --kb-border.
 *
 * Rules this file keeps, because it runs on other people's pages:
 * - everything lives in a Shadow DOM: the host's CSS cannot reach in, ours cannot leak out;
 * - one global (window.KBWidget), every callback guarded: an error here never breaks the host;
 * - server text goes in with textContent; <mark> is built as an element, never parsed from markup;
 * - at most one request in flight (the previous is aborted) and a stale response is dropped;
 * - when our API is down, slower than 3 s, or refuses this origin, say so and give the hotlines.
 */
(function () {
  "use strict";
  if (window.KBWidget) return;

  var TIMEOUT_MS = 3000;
  var DEBOUNCE_MS = 250;
  // The numbers to call when our API is down or slow: written in by the server that serves this file
  // (web/embed.py widget_script, from content/centers), so they are never a second copy here.
  var HOTLINES = [];
  var CSS = [
    /* The host keeps its say over where the box sits (margin, width); not over how it looks. */
    ":host{display:block!important;padding:0!important;border:0!important;background:none!important;",
    "float:none!important;transform:none!important;filter:none!important;opacity:1!important;",
    "--a:var(--kb-accent,#0a6b52);--r:var(--kb-radius,10px);--bg:var(--kb-bg,#fff);--tx:var(--kb-text,#1c2321);",
    "--mu:var(--kb-muted,#5a6662);--bd:var(--kb-border,#c9d3cf)}",
    "*{box-sizing:border-box}",
    /* all:initial cuts every inherited property (font, color, letter-spacing, text-transform...) */
    ".kb{all:initial;display:block;font:16px/1.55 var(--kb-font,system-ui,-apple-system,'Noto Sans KR','Malgun Gothic',sans-serif);",
    "color:var(--tx);text-align:left;background:var(--bg);border:1px solid var(--bd);border-radius:var(--r);padding:14px;max-width:var(--kb-max-width,720px)}",
    "label{display:block;font-weight:700;margin:0 0 6px}",
    ".row{display:flex;gap:6px}",
    "input{flex:1;min-width:0;font:inherit;color:inherit;background:#fff;border:2px solid var(--bd);border-radius:var(--r);padding:9px 12px}",
    "input:focus{outline:3px solid var(--a);outline-offset:1px;border-color:var(--a)}",
    "button{font:inherit;cursor:pointer;border-radius:var(--r);border:2px solid var(--a);background:var(--a);color:#fff;padding:8px 14px}",
    "button.q{background:#fff;color:var(--a);padding:4px 12px}",
    "button:focus-visible,a:focus-visible{outline:3px solid var(--a);outline-offset:2px}",
    "ul{list-style:none;margin:8px 0 0;padding:0;border:1px solid var(--bd);border-radius:var(--r);overflow:hidden}",
    "[hidden]{display:none!important}",
    "li[role=option]{padding:9px 12px;cursor:pointer;border-top:1px solid var(--bd)}",
    "li[role=option]:first-child{border-top:0}",
    "li[aria-selected=true]{background:color-mix(in srgb,var(--a) 12%,#fff);box-shadow:inset 4px 0 0 var(--a)}",
    ".t{display:block;font-weight:700}.s{display:block;color:var(--mu);font-size:.9em}",
    "mark{background:#ffe58a;color:inherit;padding:0 1px;border-radius:2px}",
    ".st{font-size:.85em;color:var(--mu);margin:6px 0 0;min-height:1.2em}",
    ".p{margin-top:10px}.p:empty{display:none}",
    ".p h3{font-size:1.05em;margin:0 0 6px}.p p{margin:0 0 8px}",
    ".d{font-size:.85em;color:var(--mu)}",
    ".v{font-size:.9em;background:#fff6e0;border-left:4px solid #c98a00;padding:6px 10px}",
    ".c{list-style:none;border:0;padding:0;margin:8px 0}",
    ".c li{border:1px solid var(--bd);border-left:5px solid var(--a);border-radius:var(--r);padding:8px 12px;margin:0 0 6px}",
    ".c li.u{border-left-color:#c0262d;background:#fff1f1}",
    ".c b{display:block}.c a{color:var(--a);font-weight:700}",
    ".l{font-weight:700}",
    ".w{display:block;font-size:.85em;color:var(--mu)}",
    ".e{border:2px solid #c0262d;border-radius:var(--r);padding:8px 12px;background:#fff8f8}",
    "a{color:var(--a)}",
    ".f{margin-top:6px;font-size:.9em}.f button{margin-left:6px}",
    ".vh{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}"
  ].join("");

  var count = 0;
  var instances = [];

  // ------------------------------------------------------------ small helpers

  function h(tag, attrs) {
    var node = document.createElement(tag);
    var k;
    for (k in attrs || {}) {
      if (!Object.prototype.hasOwnProperty.call(attrs, k) || attrs[k] == null || attrs[k] === false) continue;
      if (k === "text") node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k] === true ? "" : String(attrs[k]));
    }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c == null || c === false) continue;
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return node;
  }

  function tel(phone) {
    var digits = String(phone || "").replace(/[^\d+]/g, "");
    return digits ? "tel:" + digits : null;
  }

  function webUrl(base, path) {
    var url = base + String(path || "/");
    return /^https?:\/\//i.test(url) ? url : null;
  }

  function guard(fn) {
    return function () {
      try { return fn.apply(this, arguments); } catch (err) { /* never break the host page */ }
    };
  }

  function scriptOrigin() {
    try { return new URL(document.currentScript.src).origin; } catch (err) { return ""; }
  }
  var ORIGIN = scriptOrigin();

  // ------------------------------------------------------------ network

  function Failure(kind, message, body) { this.kind = kind; this.message = message; this.body = body; }

  /* fetch JSON with a 3 s limit; rejects with a Failure naming what went wrong. */
  function getJSON(base, path, options, controller) {
    var timedOut = false;
    var timer = setTimeout(function () { timedOut = true; controller.abort(); }, TIMEOUT_MS);
    options = options || {};
    options.signal = controller.signal;
    options.credentials = "omit";
    options.mode = "cors";
    return fetch(base + path, options).then(function (res) {
      return res.json().catch(function () { return null; }).then(function (body) {
        clearTimeout(timer);
        if (res.ok && body) return body;
        throw new Failure(res.status === 429 ? "limited" : "http",
          (body && body.error) || "검색 서버가 요청을 처리하지 못했어요.", body);
      });
    }, function (err) {
      clearTimeout(timer);
      if (timedOut) throw new Failure("slow");
      if (err && err.name === "AbortError") throw new Failure("aborted");
      return probe(base).then(function (up) { throw new Failure(up ? "refused" : "down"); });
    });
  }

  /* A refused origin and a dead server look alike to fetch; an opaque no-cors request tells them apart. */
  function probe(base) {
    return fetch(base + "/api/health", { mode: "no-cors", credentials: "omit" })
      .then(function () { return true; }, function () { return false; });
  }

  var MESSAGES = {
    down: "지금 검색 서버에 연결할 수 없어요.",
    slow: "검색 서버가 3초 안에 답하지 않아요.",
    refused: "이 사이트에서는 검색을 쓸 수 없어요(허용되지 않은 주소). 사이트 관리자에게 알려 주세요."
  };

  // ------------------------------------------------------------ one widget

  function Widget(host) {
    var self = this;
    var n = ++count;
    var data = host.dataset;
    this.api = String(data.api || ORIGIN).replace(/\/+$/, "");
    this.region = data.region || "";
    this.audience = data.audience || "";
    this.max = Math.min(10, Math.max(1, parseInt(data.maxResults, 10) || 5));
    this.results = [];
    this.active = -1;
    this.seq = 0;
    this.controller = null;
    this.timer = null;
    this.lastQuery = "";

    var root = host.attachShadow({ mode: "open" });
    if (root.adoptedStyleSheets !== undefined && window.CSSStyleSheet) {
      var sheet = new CSSStyleSheet();   // not an inline <style>: works under the host's strict CSP
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } else {
      root.appendChild(h("style", { text: CSS }));
    }
    var id = "kb" + n;
    this.input = h("input", {
      id: id + "-q", type: "text", role: "combobox", "aria-autocomplete": "list", "aria-expanded": "false",
      "aria-controls": id + "-list", autocomplete: "off", spellcheck: "false", enterkeyhint: "search",
      placeholder: data.placeholder || "예: 육아휴직 쓰면 돈 얼마나 나와요?"
    });
    this.list = h("ul", { id: id + "-list", role: "listbox", "aria-label": "검색 결과", hidden: true });
    this.status = h("p", { "class": "st", role: "status", "aria-live": "polite" });
    this.panel = h("div", { "class": "p" });
    this.button = h("button", { type: "button", text: "묻기" });
    this.id = id;
    root.appendChild(h("div", { "class": "kb", part: "widget" },
      h("label", { "for": id + "-q", text: "일하는 엄마·아빠 권리, 무엇이든 물어보세요" }),
      h("div", { "class": "row" }, this.input, this.button),
      this.list, this.status, this.panel));

    this.input.addEventListener("input", guard(function () { self.schedule(); }));
    this.input.addEventListener("keydown", guard(function (e) { self.onKey(e); }));
    this.input.addEventListener("blur", guard(function () { setTimeout(guard(function () { self.close(); }), 150); }));
    this.button.addEventListener("click", guard(function () { self.ask(); }));
    this.list.addEventListener("mousedown", function (e) { e.preventDefault(); });   // keep focus in the box
    this.list.addEventListener("click", guard(function (e) {
      var li = e.target.closest("li[role=option]");
      if (li) self.open(Number(li.getAttribute("data-i")));
    }));
  }

  Widget.prototype.schedule = function () {
    var self = this;
    clearTimeout(this.timer);
    this.timer = setTimeout(guard(function () { self.search(); }), DEBOUNCE_MS);
  };

  /* Start a request: abort the one in flight; the returned number identifies the newest one. */
  Widget.prototype.begin = function () {
    if (this.controller) this.controller.abort();
    this.controller = new AbortController();
    return ++this.seq;
  };

  Widget.prototype.search = function () {
    var self = this;
    var q = this.input.value.trim();
    if (q === this.lastQuery) return;
    this.lastQuery = q;
    if (q.length < 2) { this.begin(); this.render([]); this.say(""); return; }
    var seq = this.begin();
    var path = "/api/search?q=" + encodeURIComponent(q) + "&limit=" + this.max +
      (this.audience ? "&audience=" + encodeURIComponent(this.audience) : "");
    getJSON(this.api, path, {}, this.controller).then(guard(function (body) {
      if (seq !== self.seq) return;   // a newer question was typed: drop this answer
      self.render(body.results || []);
      if (body.urgent) self.urgent(body.urgent);
      else if (self.urgentShown) { self.show(); self.urgentShown = false; }
      self.say((body.urgent ? "지금 바로 전화할 수 있는 곳을 아래에 보여 드려요. " : "") + (self.results.length ?
        "검색 결과 " + self.results.length + "개. 위아래 화살표로 고르고 Enter로 여세요." :
        "검색 결과가 없어요. Enter를 누르면 질문으로 답을 찾아요."));
    }), guard(function (f) { if (seq === self.seq) self.fail(f); }));
  };

  Widget.prototype.render = function (results) {
    var self = this;
    this.results = results.slice(0, this.max);
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    this.list.textContent = "";
    this.results.forEach(function (r, i) {
      var snippet = h("span", { "class": "s" });
      (r.snippet || []).forEach(function (run) {
        snippet.appendChild(run.match ? h("mark", { text: run.text }) : document.createTextNode(run.text));
      });
      var call = r.referral && r.referral.phone ? h("span", { "class": "s", text: "전화 " + r.referral.name + " " + r.referral.phone }) : null;
      self.list.appendChild(h("li", { id: self.id + "-o" + i, role: "option", "aria-selected": "false", "data-i": i },
        h("span", { "class": "t", text: r.title + (r.heading ? " · " + r.heading : "") }), snippet, call));
    });
    this.toggle(this.results.length > 0);
  };

  Widget.prototype.toggle = function (open) {
    this.list.hidden = !open;
    this.input.setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) { this.active = -1; this.input.removeAttribute("aria-activedescendant"); this.mark(); }
  };

  Widget.prototype.close = function () { this.toggle(false); };

  Widget.prototype.move = function (to) {
    var n = this.results.length;
    if (!n) return;
    if (this.list.hidden) this.toggle(true);
    this.active = (to + n) % n;
    this.mark();
    var li = this.list.children[this.active];
    this.input.setAttribute("aria-activedescendant", li.id);
    if (li.scrollIntoView) li.scrollIntoView({ block: "nearest" });
  };

  Widget.prototype.mark = function () {
    for (var i = 0; i < this.list.children.length; i++) {
      this.list.children[i].setAttribute("aria-selected", i === this.active ? "true" : "false");
    }
  };

  Widget.prototype.onKey = function (e) {
    if (e.isComposing || e.keyCode === 229) return;   // a Korean IME is still composing: its Enter commits the syllable
    var open = !this.list.hidden && this.results.length > 0;
    switch (e.key) {
      case "ArrowDown": e.preventDefault(); this.move(open ? this.active + 1 : 0); break;
      case "ArrowUp": e.preventDefault(); this.move(open ? (this.active < 0 ? -1 : this.active - 1) : -1); break;
      case "Home": if (open && this.active >= 0) { e.preventDefault(); this.move(0); } break;
      case "End": if (open && this.active >= 0) { e.preventDefault(); this.move(-1); } break;
      case "Enter":
        e.preventDefault();
        if (open && this.active >= 0) this.open(this.active); else this.ask();
        break;
      case "Escape":
        if (open) { e.preventDefault(); this.close(); }
        else if (this.input.value) { e.preventDefault(); this.input.value = ""; this.lastQuery = ""; this.say(""); }
        break;
    }
  };

  Widget.prototype.say = function (text) { this.status.textContent = text; };

  Widget.prototype.show = function () {
    this.panel.textContent = "";
    for (var i = 0; i < arguments.length; i++) if (arguments[i]) this.panel.appendChild(arguments[i]);
  };

  Widget.prototype.link = function (path, text) {
    var url = webUrl(this.api, path);
    return url ? h("p", {}, h("a", { href: url, target: "_blank", rel: "noopener", text: text })) : null;
  };

  /* Open one search result: its passage, its first place to call, a link to the whole topic. */
  Widget.prototype.open = function (i) {
    var r = this.results[i];
    if (!r) return;
    this.close();
    var snippet = h("p", {});
    (r.snippet || []).forEach(function (run) {
      snippet.appendChild(run.match ? h("mark", { text: run.text }) : document.createTextNode(run.text));
    });
    this.show(h("h3", { text: r.title + (r.heading ? " · " + r.heading : "") }), snippet,
      r.referral ? cardList([r.referral], false) : null, this.link(r.url, "전체 내용 보기 (새 창)"));
    this.say("「" + r.title + "」 내용을 아래에 열었어요.");
  };

  /* Enter on the box: ask the question and show the 핵심 답변 with its dates and places to call. */
  Widget.prototype.ask = function () {
    var self = this;
    var q = this.input.value.trim();
    clearTimeout(this.timer);
    if (!q) { this.say("질문을 입력해 주세요."); return; }
    this.close();
    var seq = this.begin();
    var body = { q: q };
    if (this.region) body.region = this.region;        // the router's context (a place in the question wins)
    if (this.audience) body.audience = this.audience;
    this.say("답을 찾고 있어요…");
    getJSON(this.api, "/api/ask", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
    }, this.controller).then(guard(function (a) {
      if (seq !== self.seq) return;
      self.answer(a);
    }), guard(function (f) { if (seq === self.seq) self.fail(f); }));
  };

  /* Crisis or danger words in what is typed: 109 / 112 come first, whatever the search finds. */
  Widget.prototype.urgent = function (u) {
    this.show(cardList(u.referral_cards || [], true), u.lead ? h("p", { "class": "l", text: u.lead }) : null);
    this.urgentShown = true;
  };

  Widget.prototype.answer = function (a) {
    var urgent = !!(a.crisis || a.danger);
    var cards = cardList(a.referral_cards || [], urgent);
    var lead = urgent && a.lead ? h("p", { "class": "l", text: a.lead }) : null;
    var core = a.core || (urgent ? "" : String(a.answer || "").split("\n\n")[0]);
    var text = core ? h("p", { text: core }) : null;
    var dates = a.as_of ? h("p", { "class": "d", text: "기준일 " + a.as_of + (a.reviewed ? " · 검토일 " + a.reviewed : "") }) : null;
    var verify = (a.verify || []).length ? h("p", { "class": "v", text: "확인 필요: " + a.verify.join(" / ") + " (전화로 확인하세요)" }) : null;
    var sec = (a.sections || [])[0];
    var more = a.confident && sec ? this.link("/topics/" + encodeURIComponent(sec.topic) + "#" + encodeURIComponent(sec.anchor),
      "전체 답변 보기 (새 창)") : null;
    this.urgentShown = false;
    if (urgent) this.show(cards, lead, text, dates, verify, more);   // 109 / 112 before anything else
    else this.show(h("h3", { text: "핵심 답변" }), text, dates, verify, cards, more);
    if (a.id != null) this.panel.appendChild(this.feedback(a.id));
    this.say(urgent ? "지금 바로 전화할 수 있는 곳을 먼저 보여 드려요." : "답을 아래에 보여 드려요.");
  };

  /* "도움이 되었나요?" only for answers the server logged (they carry an id). */
  Widget.prototype.feedback = function (answerId) {
    var self = this;
    var box = h("p", { "class": "f" }, "도움이 되었나요?");
    [["예", true], ["아니요", false]].forEach(function (choice) {
      var b = h("button", { type: "button", "class": "q", text: choice[0] });
      b.addEventListener("click", guard(function () {
        box.textContent = "알려 주셔서 고마워요.";
        fetch(self.api + "/api/feedback", {
          method: "POST", credentials: "omit", mode: "cors", headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ id: answerId, helpful: choice[1] })
        }).catch(function () {});
      }));
      box.appendChild(b);
    });
    return box;
  };

  Widget.prototype.fail = function (f) {
    if (!f || f.kind === "aborted") return;
    this.render([]);
    if (f.body && f.body.urgent) {   // refused as a search, yet the 109 / 112 cards came back
      this.urgent(f.body.urgent);
      this.say(f.message);
      return;
    }
    var message = MESSAGES[f.kind] || f.message || MESSAGES.down;
    this.show(h("div", { "class": "e" },
      h("p", { text: message + " 급한 일이면 아래로 바로 전화하세요." }), cardList(HOTLINES, false)));
    this.say(message);
  };

  // ------------------------------------------------------------ referral cards

  function cardList(cards, urgent) {
    var ul = h("ul", { "class": "c", "aria-label": "전화할 곳" });
    cards.forEach(function (c, i) {
      var unverified = (c.unverified || []).indexOf("phone") >= 0;
      var phone = c.phone ? h("a", { href: tel(c.phone), text: c.phone }) : null;
      var li = h("li", { "class": c.urgent || (urgent && i === 0) ? "u" : null },
        h("b", { text: c.name }), phone, unverified ? " (확인 필요)" : null,
        unverified && c.fallback_phone ? h("span", { "class": "w" }, "안 되면 " + (c.fallback_name || "") + " ",
          h("a", { href: tel(c.fallback_phone), text: c.fallback_phone })) : null,
        c.why || c.note ? h("span", { "class": "w", text: c.why || c.note }) : null,
        c.hours ? h("span", { "class": "w", text: c.hours }) : null);
      ul.appendChild(li);
    });
    return ul;
  }

  // ------------------------------------------------------------ mount, "/" shortcut

  function mount(host) {
    if (!host || host.shadowRoot || host.__kbWidget) return null;
    var w = new Widget(host);
    host.__kbWidget = w;
    instances.push(w);
    return w;
  }

  function mountAll() {
    var hosts = document.querySelectorAll("[data-kb-widget]");
    for (var i = 0; i < hosts.length; i++) guard(mount)(hosts[i]);
  }

  function typing(t) {
    if (!t) return false;
    var tag = t.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || !!t.isContentEditable ||
      !!(t.shadowRoot && t.shadowRoot.activeElement);
  }

  document.addEventListener("keydown", guard(function (e) {
    if (e.key !== "/" || e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || !instances.length) return;
    if (typing(e.target) || typing(document.activeElement)) return;
    e.preventDefault();
    instances[0].input.focus();
  }));

  window.KBWidget = { version: "1", mount: guard(mount), instances: instances };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", guard(mountAll));
  else guard(mountAll)();
})();
