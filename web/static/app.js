/* Progressive enhancement. Every page works without this file:
 * - chat: forms post to / and the server renders the answer; here they fetch /api/ask instead,
 *   and the conversation grows on the page without a reload;
 * - "/" focuses the search or question box;
 * - "표준 답변 복사" / "이 내용 복사" buttons copy plain text to the clipboard.
 * Text from the server is always inserted with textContent, never as HTML.
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

  function telHref(phone) {
    var digits = String(phone || "").replace(/[^\d+]/g, "");
    return digits ? "tel:" + digits : "";
  }

  function isWebUrl(url) {
    return /^https?:\/\/[^\s\/]+/i.test(String(url || ""));
  }

  function shortUrl(url) {
    return String(url || "").replace(/^https?:\/\//i, "").replace(/^www\./i, "").replace(/\/+$/, "");
  }

  function topicUrl(id, anchor) {
    return "/topics/" + encodeURIComponent(id) + (anchor ? "#" + anchor : "");
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

  var topicsPromise = null;

  function loadTopics() {
    if (!topicsPromise) {
      topicsPromise = fetch("/api/topics", { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { topics: [] }; })
        .then(function (data) {
          var byId = {};
          (data.topics || []).forEach(function (t) { byId[t.id] = t; });
          return byId;
        })
        .catch(function () { topicsPromise = null; return {}; });
    }
    return topicsPromise;
  }

  function badge() {
    return el("span", { className: "badge badge-verify" }, "확인 필요");
  }

  function referralCard(card) {
    var unverified = card.unverified || [];
    var phone = null;
    if (card.phone) {
      phone = el("p", { className: "card-phone" },
        el("a", { className: "phone-link", href: telHref(card.phone) },
          el("span", { "aria-hidden": "true" }, "☎"), " " + card.phone));
      if (unverified.indexOf("phone") >= 0) {
        phone.appendChild(document.createTextNode(" "));
        phone.appendChild(badge());
        if (card.fallback_phone) {
          phone.appendChild(document.createTextNode(" "));
          phone.appendChild(el("span", { className: "fallback" }, "안 되면 " + card.fallback_name + " ",
            el("a", { href: telHref(card.fallback_phone) }, card.fallback_phone)));
        }
      }
    }
    var hours = null;
    if (card.hours) {
      hours = el("p", { className: "card-hours" }, el("span", { className: "label" }, "운영"), " " + card.hours);
      if (unverified.indexOf("hours") >= 0) { hours.appendChild(document.createTextNode(" ")); hours.appendChild(badge()); }
    }
    var web = null;
    if (isWebUrl(card.website)) {
      web = el("p", { className: "card-web" }, el("a", { href: card.website, rel: "noopener noreferrer" }, shortUrl(card.website)));
      if (unverified.indexOf("website") >= 0) { web.appendChild(document.createTextNode(" ")); web.appendChild(badge()); }
    }
    var state = card.open_now === true ? el("p", { className: "card-open" }, el("span", { className: "badge badge-open" }, "지금 운영 중"))
      : card.open_now === false ? el("p", { className: "card-open" }, el("span", { className: "badge badge-closed" }, "지금은 운영 시간 아님"))
      : null;
    return el("li", { className: "card referral-card", "data-center": card.id },
      el("h4", { className: "card-title" }, card.name),
      state, phone, hours, web,
      card.why ? el("p", { className: "card-why" }, card.why) : null);
  }

  function crisisCard(card) {
    return el("div", { className: "crisis-card", role: "alert", "data-center": card.id },
      el("p", { className: "crisis-lead" }, "지금 많이 힘드시죠. 혼자 견디지 마세요."),
      el("a", { className: "crisis-call", href: telHref(card.phone) },
        el("span", { "aria-hidden": "true" }, "☎"), " ", el("strong", null, card.phone), " 전화하기"),
      el("p", { className: "crisis-note" }, el("strong", null, card.name), card.hours ? " · " + card.hours : ""),
      card.why ? el("p", { className: "crisis-note" }, card.why) : null,
      el("p", { className: "crisis-note" }, "생명이 위험한 상황이면 ",
        el("a", { href: "tel:112" }, "112"), "나 ", el("a", { href: "tel:119" }, "119"), "에 바로 전화하세요."));
  }

  function basis(answer) {
    var box = el("div", { className: "basis" });
    if (answer.legal_basis && answer.legal_basis.length) {
      box.appendChild(el("p", { className: "basis-law" }, el("span", { className: "label" }, "법적 근거"),
        " " + answer.legal_basis.join(", ")));
    }
    var dates = el("p", { className: "basis-dates" });
    if (answer.as_of) dates.appendChild(el("span", { className: "date" }, "기준일 " + answer.as_of));
    if (answer.as_of && answer.reviewed) dates.appendChild(document.createTextNode(" · "));
    if (answer.reviewed) dates.appendChild(el("span", { className: "date" }, "검토일 " + answer.reviewed));
    box.appendChild(dates);
    return box;
  }

  function verifyNotes(items) {
    if (!items || !items.length) return null;
    return el("div", { className: "verify-notes" },
      el("p", { className: "verify-title" }, badge(), " 아직 확인 중인 내용"),
      el("ul", null, items.map(function (v) { return el("li", null, v); })),
      el("p", { className: "verify-hint" }, "정확한 내용은 ", el("a", { href: "tel:1350" }, "고용노동부 1350"), "에서 꼭 확인하세요."));
  }

  function renderAnswer(answer, topics) {
    var classes = "bubble bubble-a answer" + (answer.crisis ? " is-crisis" : "") + (answer.confident ? "" : " is-unsure");
    var article = el("article", { className: classes, tabindex: "-1", "aria-label": "답변" });
    var cards = (answer.referral_cards || []).slice();
    if (answer.crisis && cards.length && cards[0].id === "suicide-prevention-109") {
      article.appendChild(crisisCard(cards.shift()));
    }
    var leadId = answer.confident && answer.topics && answer.topics.length ? answer.topics[0] : null;
    if (leadId) {
      var topic = topics[leadId] || { id: leadId, title: "", sections: [] };
      if (topic.title) {
        article.appendChild(el("p", { className: "answer-topic" }, el("a", { href: topicUrl(leadId) }, topic.title)));
      }
      article.appendChild(el("h2", { className: "core-label" }, "핵심 답변"));
      article.appendChild(el("p", { className: "core" }, answer.core || answer.answer));
      article.appendChild(basis(answer));
      var order = {};
      (topic.sections || []).forEach(function (s, i) { order[s.anchor] = i; });
      var seen = {};
      if (topic.sections && topic.sections.length) seen[topic.sections[0].anchor] = true;   // the 핵심 답변 is already shown
      var links = (answer.sections || []).filter(function (s) {
        if (s.topic !== leadId || seen[s.anchor]) return false;
        seen[s.anchor] = true;
        return true;
      });
      links.sort(function (a, b) {
        return (a.anchor in order ? order[a.anchor] : 99) - (b.anchor in order ? order[b.anchor] : 99);
      });
      if (links.length) {
        article.appendChild(el("nav", { className: "section-links", "aria-label": "자세한 내용" },
          el("h3", { className: "small-heading" }, "자세히 보기"),
          el("ul", null, links.map(function (s) {
            return el("li", null, el("a", { href: topicUrl(s.topic, s.anchor) }, s.title));
          }))));
      }
      var notes = verifyNotes(answer.verify);
      if (notes) article.appendChild(notes);
    } else {
      article.appendChild(el("p", { className: "core" }, answer.answer));
      var suggestions = answer.suggestions || [];
      if (suggestions.length) {
        var form = el("form", { className: "suggestions", method: "post", action: "/#latest", "data-ask-form": true },
          el("p", { className: "small-heading" }, "이 중 어떤 내용이 궁금하세요?"),
          el("ul", { className: "chips" }, suggestions.map(function (title, i) {
            return el("li", null, el("button", {
              className: "chip chip-topic", type: "submit", name: "q", value: title,
              "data-topic": (answer.topics || [])[i] || ""
            }, title));
          })));
        article.appendChild(form);
      }
    }
    if (cards.length) {
      article.appendChild(el("section", { className: "referrals", "aria-label": "도움받을 곳" },
        el("h3", { className: "small-heading" }, leadId ? "도움받을 곳" : "전화로 물어보세요"),
        el("ul", { className: "cards" }, cards.map(referralCard))));
    }
    return article;
  }

  function setupChat() {
    var conversation = document.getElementById("conversation");
    var mainForm = document.querySelector("form[data-main-form]");
    if (!conversation || !mainForm || !window.fetch) return;
    var input = mainForm.querySelector("input[name=q]");
    var regionSelect = document.querySelector("select[name=region]");   // kept in the page only
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
      if (q.length > 500) {
        showError("질문이 너무 깁니다. 500자 이내로 줄여 주세요.");
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

      var request = fetch("/api/ask", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(regionSelect && regionSelect.value ? { q: q, region: regionSelect.value } : { q: q })
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          return { ok: response.ok, data: data };
        });
      });

      Promise.all([request, loadTopics()]).then(function (results) {
        var result = results[0];
        if (!result.ok) {
          conversation.removeChild(item);
          showError(result.data.error || "질문을 처리하지 못했어요. 다시 해 주세요.");
          input.focus();
          return;
        }
        var article = renderAnswer(result.data, results[1]);
        item.replaceChild(article, thinking);
        input.value = "";
        article.focus({ preventScroll: true });
        item.scrollIntoView({ block: "start" });
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
