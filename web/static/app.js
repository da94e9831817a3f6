/* Progressive enhancement. Every page works without this file:
 * - chat: forms post to / and the server renders the answer; here the same form is posted with
 *   fetch and the server's rendering of that one answer is added, so the conversation grows
 *   on the page without a reload (one renderer for both paths: _exchange.html);
 * - "/" focuses the search or question box;
 * - "표준 답변 복사" / "문자·카톡용 복사" / "이 내용 복사" buttons copy plain text to the clipboard;
 * - counselor view (/search): filters apply as soon as one is picked; "선택한 답변 복사" copies the
 *   ticked results as one text; the last 20 searches are kept in this browser's localStorage only
 *   (never sent anywhere) and listed to run again, with a button that forgets them;
 * - "도움이 되었나요? 예 / 아니요" posts to /api/feedback without a reload, then offers the reasons.
 * Text typed here is inserted with textContent; markup comes only from our own templates.
 */
(function () {
  "use strict";

  // ------------------------------------------------------------ helpers

  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === null || value === undefined || value === false) return;
        if (key === "text") node.textContent = value;
        else if (key === "className") node.className = value;
        else node.setAttribute(key, value === true ? "" : String(value));
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined || child === false) continue;
      if (Array.isArray(child)) child.forEach(function (c) { if (c) node.appendChild(c); });
      else node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function announce(message) {
    var status = document.getElementById("copy-status");
    if (status) {
      status.textContent = "";
      window.setTimeout(function () { status.textContent = message; }, 50);
    }
  }

  // ------------------------------------------------------------ "/" focuses the box

  function isTyping(target) {
    if (!target) return false;
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
    var box = document.querySelector("[data-slash-focus]") || document.getElementById("q");
    if (!box) return;
    event.preventDefault();
    box.focus();
    if (typeof box.select === "function") box.select();
  });

  // ------------------------------------------------------------ copy buttons

  function fallbackCopy(text) {
    var area = el("textarea", { readonly: true, "aria-hidden": "true", className: "visually-hidden" });
    area.value = text;
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return fallbackCopy(text); });
    }
    return fallbackCopy(text);
  }

  function setupCopyButtons(root) {
    (root || document).querySelectorAll("button[data-copy]").forEach(function (button) {
      if (button.dataset.ready) return;
      button.dataset.ready = "1";
      button.hidden = false;
      var label = button.textContent;
      button.addEventListener("click", function () {
        var source = document.getElementById(button.getAttribute("data-copy"));
        if (!source) return;
        copyText(source.textContent).then(function () {
          button.textContent = "복사했어요 ✓";
          button.classList.add("is-done");
          announce(button.getAttribute("data-copied") || "표준 답변을 복사했어요. 메시지 창에 붙여 넣으세요.");
          window.setTimeout(function () {
            button.textContent = label;
            button.classList.remove("is-done");
          }, 2000);
        }, function () {
          announce("복사하지 못했어요. ‘표준 답변 보기’를 열어 직접 복사해 주세요.");
          var details = source.closest("details");
          if (details) details.open = true;
        });
      });
    });
  }

  // ------------------------------------------------------------ chat

  // The answer markup comes from the server's own template (web/templates/_exchange.html),
  // the same one the no-JavaScript form post renders; Jinja has escaped everything a person typed.
  function fragment(html) {
    var holder = document.createElement("template");
    holder.innerHTML = html;
    return holder.content.firstElementChild;
  }

  // The one-line box becomes a textarea that grows with the text (a long message can be read
  // back while typing). Enter sends; Shift+Enter adds a line; Enter that ends a Korean IME
  // composition does not send. Without JavaScript the plain input still submits on Enter.
  function growingBox(box, form) {
    if (!box) return box;
    var area = document.createElement("textarea");
    Array.prototype.forEach.call(box.attributes, function (attr) {
      if (attr.name !== "type" && attr.name !== "value") area.setAttribute(attr.name, attr.value);
    });
    area.rows = 1;
    area.value = box.value;
    area.className = (box.className + " growing").trim();
    box.parentNode.replaceChild(area, box);
    function fit() {
      area.style.height = "auto";
      area.style.height = Math.min(area.scrollHeight + 2, window.innerHeight * 0.4) + "px";
    }
    area.addEventListener("input", fit);
    area.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" || event.shiftKey || event.isComposing || event.keyCode === 229) return;
      event.preventDefault();
      if (typeof form.requestSubmit === "function") form.requestSubmit();
      else form.dispatchEvent(new Event("submit", { cancelable: true, bubbles: true }));
    });
    fit();
    return area;
  }

  // The conversation lives in this tab's sessionStorage only (never on the server), so a topic
  // link followed by Back finds it again; "새 대화 시작" forgets it.
  var STORE_KEY = "kb-conversation";

  function storage() {
    try { return window.sessionStorage; } catch (e) { return null; }
  }

  function setupChat() {
    var conversation = document.getElementById("conversation");
    var mainForm = document.querySelector("form[data-main-form]");
    if (!conversation || !mainForm || !window.fetch) return;
    var input = growingBox(mainForm.querySelector("input[name=q]"), mainForm);
    var submitButton = mainForm.querySelector("button[type=submit]");
    var errorBox = document.getElementById("ask-error");
    var intro = document.getElementById("intro");
    var newChat = document.getElementById("new-chat");
    var busy = false;

    function compactIntro(compact) {
      if (!intro) return;
      intro.classList.toggle("is-compact", compact);
      var examples = intro.querySelector(".examples");
      if (examples) examples.hidden = compact;
    }

    function remember() {
      var store = storage();
      if (store) {
        try { store.setItem(STORE_KEY, conversation.innerHTML); } catch (e) { /* full or blocked: keep going */ }
      }
      if (newChat) newChat.hidden = !conversation.children.length;
    }

    function restore() {
      var store = storage();
      var saved = store && store.getItem(STORE_KEY);
      if (conversation.children.length || !saved) { remember(); return; }
      var holder = document.createElement("template");
      holder.innerHTML = saved;
      conversation.appendChild(holder.content);
      setupCopyButtons(conversation);
      compactIntro(true);
      remember();
    }

    if (newChat) {
      newChat.addEventListener("click", function () {
        while (conversation.firstChild) conversation.removeChild(conversation.firstChild);
        var store = storage();
        if (store) store.removeItem(STORE_KEY);
        newChat.hidden = true;
        compactIntro(false);
        input.value = "";
        input.focus();
      });
    }
    restore();

    function showError(message) {
      if (!errorBox) return;
      errorBox.textContent = message || "";
      errorBox.hidden = !message;
      if (message) {
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", "ask-hint ask-error");
      } else {
        input.removeAttribute("aria-invalid");
        input.setAttribute("aria-describedby", "ask-hint");
      }
    }

    function ask(question) {
      var q = String(question || "").trim();
      if (!q) {
        showError(mainForm.getAttribute("data-empty-error"));
        input.focus();
        return;
      }
      if (busy) return;
      busy = true;
      showError("");
      submitButton.disabled = true;
      mainForm.setAttribute("aria-busy", "true");

      var previous = document.getElementById("latest");
      if (previous) previous.removeAttribute("id");
      var thinking = el("p", { className: "bubble bubble-a thinking" }, "답을 찾고 있어요…");
      var item = el("li", { className: "exchange", id: "latest" },
        el("p", { className: "bubble bubble-q" }, el("span", { className: "visually-hidden" }, "내 질문: "), q),
        thinking);
      conversation.appendChild(item);
      compactIntro(true);

      var body = new URLSearchParams();
      body.set("q", q);
      var region = mainForm.querySelector("[name=region]");   // the 자치구 picked once, sent with each question
      if (region && region.value) body.set("region", region.value);
      fetch(mainForm.getAttribute("action").split("#")[0] || "/", {
        method: "POST",
        headers: { "X-Requested-With": "fetch", Accept: "text/html" },
        body: body
      }).then(function (response) {
        if (!response.ok) {
          return response.json().catch(function () { return {}; }).then(function (data) {
            conversation.removeChild(item);
            showError(data.error || "질문을 처리하지 못했어요. 다시 해 주세요.");
            input.focus();
          });
        }
        return response.text().then(function (html) {
          var exchange = fragment(html);
          conversation.replaceChild(exchange, item);
          setupCopyButtons(exchange);
          remember();
          input.value = "";
          input.dispatchEvent(new Event("input"));
          var article = exchange.querySelector("article") || exchange;
          article.focus({ preventScroll: true });
          exchange.scrollIntoView({ block: "start" });
        });
      }).catch(function () {
        if (item.parentNode) conversation.removeChild(item);
        showError(mainForm.getAttribute("data-offline-error"));   // the words and the number: chat.html
        input.focus();
      }).then(function () {
        busy = false;
        submitButton.disabled = false;
        mainForm.removeAttribute("aria-busy");
      });
    }

    var lastSubmitter = null;   // for browsers without SubmitEvent.submitter
    document.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("button[type=submit][name=q]") : null;
      lastSubmitter = button;
    });

    // one listener for every ask form: the main box, the example chips and the suggestion buttons
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.matches || !form.matches("form[data-ask-form]")) return;
      event.preventDefault();
      var submitter = event.submitter || (lastSubmitter && form.contains(lastSubmitter) ? lastSubmitter : null);
      var q = submitter && submitter.name === "q" ? submitter.value : (form.querySelector("[name=q]") || {}).value;
      if (form !== mainForm) input.value = "";
      ask(q);
    });
  }

  // ------------------------------------------------------------ feedback

  function setupFeedback() {
    if (!window.fetch) return;
    var lastButton = null;
    document.addEventListener("click", function (event) {
      lastButton = event.target.closest ? event.target.closest("form[data-feedback-form] button[type=submit]") : null;
    });
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.matches || !form.matches("form[data-feedback-form]")) return;
      event.preventDefault();
      var button = event.submitter || (lastButton && form.contains(lastButton) ? lastButton : null);
      if (!button || form.getAttribute("aria-busy") === "true") return;
      var withReason = button.hasAttribute("data-reason-submit");
      var payload = { id: form.getAttribute("data-id"), helpful: button.value === "yes" };
      if (withReason) {
        var picked = form.querySelector("input[name=reason]:checked");
        var text = form.querySelector("textarea[name=text]");
        if (picked) payload.reason = picked.value;
        if (text && text.value.trim()) payload.text = text.value.trim();
      }
      var status = form.querySelector(".feedback-status");
      var buttons = form.querySelectorAll("button");
      form.setAttribute("aria-busy", "true");
      buttons.forEach(function (b) { b.disabled = true; });
      fetch("/api/feedback", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(payload)
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (!response.ok) throw new Error(data.error || "의견을 보내지 못했어요. 잠시 뒤에 다시 해 주세요.");
        });
      }).then(function () {
        var reasonBox = form.querySelector(".feedback-reason");
        var vote = form.querySelector(".feedback-vote");
        if (!payload.helpful && !withReason && reasonBox) {
          vote.querySelectorAll("button").forEach(function (b) { b.setAttribute("aria-pressed", b === button ? "true" : "false"); });
          reasonBox.hidden = false;
          status.textContent = "알려 주셔서 고마워요. 무엇이 아쉬웠는지 골라 주시면 더 좋아져요.";
          var first = reasonBox.querySelector("input, textarea");
          if (first) first.focus();
        } else {
          if (vote) vote.hidden = true;
          if (reasonBox) reasonBox.hidden = true;
          status.textContent = "의견 고마워요.";
          form.classList.add("is-done");
        }
      }).catch(function (error) {
        status.textContent = error.message || "의견을 보내지 못했어요. 잠시 뒤에 다시 해 주세요.";
      }).then(function () {
        form.removeAttribute("aria-busy");
        buttons.forEach(function (b) { b.disabled = false; });
      });
    });
  }

  // ------------------------------------------------------------ counselor view (/search)

  // A filter applies as soon as it is picked (the form is a plain GET, so without JavaScript the
  // 검색 button does the same).
  function setupFilters() {
    var form = document.querySelector("form[data-filter-form]");
    if (!form) return;
    form.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () {
        var box = form.querySelector("[name=q]");
        if (!box || !box.value.trim()) return;       // nothing to search yet: wait for the words
        if (typeof form.requestSubmit === "function") form.requestSubmit();
        else form.submit();
      });
    });
  }

  // The texts of several results as one message: each result's text, and the closing line
  // (where to call) once at the end when they all share it.
  function joinAnswers(texts) {
    var parts = texts.map(function (t) { return t.trim().split("\n\n"); });
    var last = parts[0][parts[0].length - 1];
    var shared = parts.length > 1 && parts.every(function (p) { return p.length > 1 && p[p.length - 1] === last; });
    var bodies = parts.map(function (p) { return (shared ? p.slice(0, -1) : p).join("\n\n"); });
    return bodies.join("\n\n") + (shared ? "\n\n" + last : "");
  }

  function setupPicks() {
    var button = document.getElementById("copy-picked");
    var form = document.getElementById("picks-form");
    if (!button || !form) return;
    button.hidden = false;
    var label = button.textContent;
    function picked() {
      return Array.prototype.filter.call(form.querySelectorAll("input[data-pick]"), function (box) { return box.checked; });
    }
    function update() {
      var n = picked().length;
      button.disabled = n === 0;
      button.textContent = n ? label + " (" + n + ")" : label;
    }
    form.addEventListener("change", update);
    button.addEventListener("click", function () {
      var texts = picked().map(function (box) {
        var source = document.getElementById(box.getAttribute("data-pick"));
        return source ? source.textContent : "";
      }).filter(Boolean);
      if (!texts.length) return;
      copyText(joinAnswers(texts)).then(function () {
        announce("고른 답변 " + texts.length + "개를 한 번에 복사했어요.");
        button.classList.add("is-done");
        window.setTimeout(function () { button.classList.remove("is-done"); }, 2000);
      }, function () {
        announce("복사하지 못했어요. ‘표준 답변 보기’를 열어 직접 복사해 주세요.");
      });
    });
    update();
  }

  // The last searches, in this browser only (localStorage): never sent to the server.
  var RECENT_KEY = "kb-recent-searches";
  var RECENT_MAX = 20;

  function local() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function readRecent() {
    var store = local();
    try {
      var list = JSON.parse((store && store.getItem(RECENT_KEY)) || "[]");
      return Array.isArray(list) ? list.filter(function (r) { return r && typeof r.q === "string" && typeof r.query === "string"; }) : [];
    } catch (e) { return []; }
  }

  function writeRecent(list) {
    var store = local();
    if (!store) return;
    try {
      if (list.length) store.setItem(RECENT_KEY, JSON.stringify(list.slice(0, RECENT_MAX)));
      else store.removeItem(RECENT_KEY);
    } catch (e) { /* full or blocked: nothing kept */ }
  }

  function setupRecent() {
    var section = document.getElementById("recent-searches");
    var form = document.querySelector("form[data-filter-form]");
    if (!section || !form) return;
    var list = document.getElementById("recent-list");
    var clear = document.getElementById("recent-clear");
    var recent = readRecent();
    var box = form.querySelector("[name=q]");
    if (document.querySelector("[data-search-done]") && box && box.value.trim()) {
      var params = new URLSearchParams();
      var labels = [];
      params.set("q", box.value.trim());
      form.querySelectorAll("select").forEach(function (select) {
        if (!select.value) return;
        params.set(select.name, select.value);
        labels.push(select.options[select.selectedIndex].text);
      });
      var query = params.toString();
      recent = [{ q: box.value.trim(), query: query, labels: labels }].concat(
        recent.filter(function (r) { return r.query !== query; })).slice(0, RECENT_MAX);
      writeRecent(recent);
    }
    function render() {
      while (list.firstChild) list.removeChild(list.firstChild);
      recent.forEach(function (r) {
        var tags = (r.labels || []).filter(function (l) { return typeof l === "string"; });
        list.appendChild(el("li", null, el("a", { href: form.getAttribute("action") + "?" + r.query }, r.q),
          tags.length ? el("span", { className: "recent-filters" }, " · " + tags.join(" · ")) : null));
      });
      section.hidden = !recent.length;
    }
    clear.addEventListener("click", function () {
      recent = [];
      writeRecent(recent);
      render();
      announce("최근 검색 기록을 지웠어요.");
      if (box) box.focus();
    });
    render();
  }

  function setupPrint() {
    document.querySelectorAll("[data-print-page]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  function init() {
    setupCopyButtons(document);
    setupChat();
    setupFeedback();
    setupFilters();
    setupPicks();
    setupRecent();
    setupPrint();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
