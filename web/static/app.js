/* Progressive enhancement. Every page works without this file:
 * - chat: forms post to / and the server renders the answer; here the same form is posted with
 *   fetch and the server's rendering of that one answer is added, so the conversation grows
 *   on the page without a reload (one renderer for both paths: _exchange.html);
 * - "/" focuses the search or question box;
 * - "표준 답변 복사" / "이 내용 복사" buttons copy plain text to the clipboard.
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
          announce("표준 답변을 복사했어요. 메시지 창에 붙여 넣으세요.");
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

  function setupChat() {
    var conversation = document.getElementById("conversation");
    var mainForm = document.querySelector("form[data-main-form]");
    if (!conversation || !mainForm || !window.fetch) return;
    var input = mainForm.querySelector("input[name=q]");
    var submitButton = mainForm.querySelector("button[type=submit]");
    var errorBox = document.getElementById("ask-error");
    var intro = document.getElementById("intro");
    var busy = false;

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
        showError("질문을 입력해 주세요.");
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
      if (intro) {
        intro.classList.add("is-compact");
        var examples = intro.querySelector(".examples");
        if (examples) examples.hidden = true;
      }

      var body = new URLSearchParams();
      body.set("q", q);
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
          input.value = "";
          var article = exchange.querySelector("article") || exchange;
          article.focus({ preventScroll: true });
          exchange.scrollIntoView({ block: "start" });
        });
      }).catch(function () {
        if (item.parentNode) conversation.removeChild(item);
        showError("연결이 끊겼어요. 잠시 뒤에 다시 해 주세요. 급하면 고용노동부 1350에 전화하세요.");
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
      var q = submitter && submitter.name === "q" ? submitter.value : (form.querySelector("input[name=q]") || {}).value;
      if (form !== mainForm) input.value = "";
      ask(q);
    });
  }

  function init() {
    setupCopyButtons(document);
    setupChat();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
