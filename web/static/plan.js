/* /plan works without this file (the form posts). With it:
 * - a link like /plan#due_date=2027-03-10&monthly_wage=3000000 (the chat's link, or a shared one)
 *   fills the form and submits it: the salary stays in the fragment, which no browser sends;
 * - after a result, "공유 링크" carries the inputs in the fragment again.
 */
(function () {
  "use strict";
  var form = document.querySelector("[data-plan-form]");
  if (!form) return;

  function setField(name, value) {
    var inputs = form.querySelectorAll("[name='" + name.replace(/[^a-z_]/g, "") + "']");
    Array.prototype.forEach.call(inputs, function (input) {
      if (input.type === "radio") input.checked = input.value === value;
      else if (input.type === "checkbox") input.checked = value === "on" || value === "1" || value === "true";
      else input.value = value;
    });
    return inputs.length > 0;
  }

  var hash = window.location.hash.replace(/^#/, "");
  if (hash && hash.indexOf("=") > 0 && !document.getElementById("result")) {
    var params = new URLSearchParams(hash);
    var filled = false;
    params.forEach(function (value, key) {
      if (key === "due_date" || key === "birth_date") {
        setField("date", value);
        setField("date_kind", key === "birth_date" ? "birth" : "due");
        filled = true;
      } else if (setField(key, value)) {
        filled = true;
      }
    });
    // submit only when both required inputs are there; otherwise ask for the missing one
    var date = form.querySelector("[name=date]"), wage = form.querySelector("[name=monthly_wage]");
    if (filled && date.value && wage.value) {
      form.submit();
    } else if (filled) {
      (date.value ? wage : date).focus();
    }
    return;
  }

  var share = document.getElementById("share");
  if (share) {
    var out = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (value !== "") out.append(key, value);
    });
    var kind = out.get("date_kind"), d = out.get("date");
    out.delete("date_kind");
    out.delete("date");
    if (d) out.set(kind === "birth" ? "birth_date" : "due_date", d);
    document.getElementById("share-link").href = window.location.pathname + "#" + out.toString();
    share.hidden = false;
  }
})();
