// Live feedback on the change-password page: ticks each rule the new password meets and shows a strength meter,
// without a reload. The server re-checks everything; without JavaScript the rules stay a plain list.
(function () {
  "use strict";
  var input = document.getElementById("NewPassword");
  var list = document.getElementById("rules-list");
  var box = document.getElementById("strength");
  if (!input || !list || !box) return;
  var meter = document.getElementById("strength-meter");
  var label = document.getElementById("strength-label");
  var labels = (label.getAttribute("data-labels") || "").split("|");
  var min = parseInt(list.getAttribute("data-min"), 10) || 0;
  var max = parseInt(list.getAttribute("data-max"), 10) || 4096;
  var consecutive = parseInt(list.getAttribute("data-consecutive"), 10) || 0;
  var specials = list.getAttribute("data-special") || "";
  box.hidden = false;

  function isSpecial(ch) {
    return specials ? specials.indexOf(ch) >= 0 : /[\p{P}\p{S}\s]/u.test(ch);
  }

  function longestRun(chars) {
    var best = 0, run = 0;
    for (var i = 0; i < chars.length; i++) {
      run = i > 0 && chars[i] === chars[i - 1] ? run + 1 : 1;
      if (run > best) best = run;
    }
    return best;
  }

  var checks = {
    min_length: function (p, c) { return c.length >= min; },
    missing_uppercase: function (p) { return /\p{Lu}/u.test(p); },
    missing_lowercase: function (p) { return /\p{Ll}/u.test(p); },
    missing_digit: function (p) { return /\p{Nd}/u.test(p); },
    missing_special: function (p, c) { return c.some(isSpecial); },
    consecutive_identical: function (p, c) { return c.length > 0 && longestRun(c) <= consecutive; }
  };

  function update() {
    var password = input.value.normalize("NFKC");
    var chars = Array.from(password);
    var known = 0, met = 0;
    list.querySelectorAll("li[data-rule]").forEach(function (item) {
      var check = checks[item.getAttribute("data-rule")];
      if (!check) return;
      known++;
      var ok = password.length > 0 && check(password, chars);
      if (ok) met++;
      item.classList.toggle("met", ok);
    });
    // A rough score: the share of rules met, plus length beyond the minimum and variety of characters.
    var classes = [/\p{Lu}/u, /\p{Ll}/u, /\p{Nd}/u, /[^\p{L}\p{Nd}]/u].filter(function (r) { return r.test(password); }).length;
    var score = 0;
    if (chars.length > 0) {
      score = (known ? met / known : 1) * 2 + Math.min(1, Math.max(0, chars.length - min) / 8) + (classes >= 3 ? 1 : 0);
      if (chars.length > max || (known && met < known)) score = Math.min(score, 1);
    }
    score = Math.max(0, Math.min(4, Math.round(score)));
    meter.value = score;
    label.textContent = chars.length ? (labels[score] || "") : "";
  }

  input.addEventListener("input", update);
  update();
  var errors = document.getElementById("password-errors");
  if (errors) errors.focus();
})();
