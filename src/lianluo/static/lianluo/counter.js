/* Character counter under a textarea with data-max-chars (progressive enhancement).

   Without JavaScript the counter element states the limit and the server refuses a longer
   message with the numbers, keeping the text. With it, the counter shows "已输入 n / limit 字"
   while typing. The textarea has no maxlength: a browser would silently cut a paste to it.

   Accessibility: the visible counter is not a live region (it would be read at every
   keystroke); the textarea's aria-describedby points at it, so it is read on focus. A separate
   polite live region speaks only when the state changes: few characters left, over the
   limit, back under it.

   Loaded with <script src defer>; no inline script or handler (Content-Security-Policy). */
(function () {
  "use strict";

  // Python counts code points; JavaScript's length counts UTF-16 units (an emoji is 2).
  function codePoints(value) {
    var surrogates = value.match(/[\uDC00-\uDFFF]/g);
    return value.length - (surrogates ? surrogates.length : 0);
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return name in values ? String(values[name]) : whole;
    });
  }

  function attach(textarea) {
    var limit = parseInt(textarea.getAttribute("data-max-chars"), 10);
    var ids = (textarea.getAttribute("aria-describedby") || "").split(/\s+/);
    var counter = null;
    for (var i = 0; i < ids.length; i++) {
      var candidate = ids[i] && document.getElementById(ids[i]);
      if (candidate && candidate.classList.contains("counter")) counter = candidate;
    }
    if (!counter || !(limit > 0)) return;
    var live = document.getElementById(counter.id + "-live");
    var nearAt = Math.max(1, Math.floor(limit * 0.1)); // "few left" = the last tenth
    var state = null;
    var pending = false;

    function update() {
      pending = false;
      // The browser sends line ends as CRLF; the server counts them as one, like this.
      var count = codePoints(textarea.value);
      var values = { count: count, limit: limit, over: count - limit, left: limit - count };
      var over = count > limit;
      counter.textContent = fill(counter.getAttribute(over ? "data-over" : "data-counting"), values);
      counter.classList.toggle("over", over);
      var next = over ? "over" : limit - count <= nearAt ? "near" : "ok";
      if (live && state !== null && next !== state) {
        var key = next === "over" ? "data-over" : next === "near" ? "data-near" : "data-counting";
        live.textContent = fill(counter.getAttribute(key), values);
      }
      state = next;
    }

    function schedule() {
      // A 50,000-character paste fires one input event; fast typing fires many: count once
      // per frame.
      if (!pending) {
        pending = true;
        window.requestAnimationFrame(update);
      }
    }

    textarea.addEventListener("input", schedule);
    // Back/forward: the browser may restore the text without an input event.
    window.addEventListener("pageshow", update);
    update();
  }

  var areas = document.querySelectorAll("textarea[data-max-chars]");
  for (var j = 0; j < areas.length; j++) attach(areas[j]);
})();
