// Review page: pointing at a highlighted evidence word marks every word of the same event,
// and rejecting or merging asks once more. Progressive: the page works without it.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var marks = document.querySelectorAll("mark[data-field]");
  marks.forEach(function (m) {
    var id = (m.dataset.field.match(/#(\d+)/) || [])[1];
    m.addEventListener("mouseenter", function () {
      marks.forEach(function (o) { if (o.dataset.field.indexOf("#" + id + ")") >= 0) o.classList.add("active"); });
      var card = document.getElementById("event-" + id);
      if (card) card.classList.add("active");
    });
    m.addEventListener("mouseleave", function () {
      marks.forEach(function (o) { o.classList.remove("active"); });
    });
  });
  document.querySelectorAll("button.status-rejected").forEach(function (b) {
    b.addEventListener("click", function (e) { if (!window.confirm(b.textContent + "?")) e.preventDefault(); });
  });
});
