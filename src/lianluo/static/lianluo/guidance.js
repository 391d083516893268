/* The guidance of a category the station does not take (涉法涉诉, 信访), shown right below the
   category select as soon as it is chosen (progressive enhancement).

   Without JavaScript the form lists every such category and where to go instead
   (templates/portal/_category_guidance.html). With it, that list is folded away and only the
   chosen category's guidance shows, in a polite status region under the select.

   Loaded with <script src defer>; no inline script or handler (Content-Security-Policy). */
(function () {
  "use strict";

  function attach(select) {
    var list = document.getElementById(select.getAttribute("data-guidance"));
    var chosen = document.getElementById("category-chosen");
    if (!list || !chosen) return;
    var items = list.querySelectorAll("[data-guidance-for]");

    function update() {
      var shown = null;
      for (var i = 0; i < items.length; i++) {
        if (items[i].getAttribute("data-guidance-for") === select.value) shown = items[i];
      }
      chosen.textContent = shown ? shown.textContent : "";
      chosen.hidden = !shown;
    }

    list.hidden = true;
    select.addEventListener("change", update);
    // Back/forward: the browser may restore the choice without a change event.
    window.addEventListener("pageshow", update);
    update();
  }

  var selects = document.querySelectorAll("select[data-guidance]");
  for (var j = 0; j < selects.length; j++) attach(selects[j]);
})();
