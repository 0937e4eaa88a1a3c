/* improvedir site: the search box and the Copy button. Everything else works without it. */
(function () {
  "use strict";

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  // --- Copy the conversation script ---
  Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    var status = button.parentNode.querySelector(".copy-status");
    if (!source) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = source.textContent;
      function done(message) {
        if (status) status.textContent = message;
      }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(
          function () { done("Copied."); },
          function () { done("Could not copy: select the text and copy it."); }
        );
      } else {
        var range = document.createRange();
        range.selectNodeContents(source);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        done("Selected: press Ctrl+C (or Cmd+C) to copy.");
      }
    });
  });

  // --- Search ---
  var form = document.getElementById("search-form");
  var input = document.getElementById("q");
  var output = document.getElementById("search-results");
  if (!form || !input || !output || !window.IMPROVEDIR_INDEX || !window.ImprovedirSearch) return;
  var data = window.IMPROVEDIR_INDEX;
  var index = new window.ImprovedirSearch.Index(data);
  var MAX_QUERY = 1000;
  form.hidden = false;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    show(input.value);
  });

  function areaNames(ids) {
    return ids.map(function (a) { return data.areaNames[a] || a; }).join(", ");
  }

  function show(query) {
    output.textContent = "";
    if (!query.trim()) return;
    if (query.length > MAX_QUERY) {
      output.appendChild(el("p", "The search is too long (" + MAX_QUERY + " characters at most)."));
      return;
    }
    var results = index.search(query, 10);
    Object.keys(results.corrections).forEach(function (typed) {
      output.appendChild(
        el("p", "Showing results for '" + results.corrections[typed] + "' (you typed '" + typed + "').", "hint")
      );
    });
    if (!results.hits.length) {
      var none = el("p", "No tactics match '" + query.trim() + "'. ");
      if (results.topics.length) {
        none.appendChild(
          document.createTextNode("The directory has no tactic on " + results.topics.join(" or ") + " yet. ")
        );
      }
      var browse = el("a", "Browse the areas");
      browse.href = "#areas";
      none.appendChild(browse);
      output.appendChild(none);
      return;
    }
    var n = results.hits.length;
    output.appendChild(el("p", n + " tactic" + (n === 1 ? "" : "s") + " for '" + query.trim() + "'", "card-meta"));
    var list = el("ol");
    results.hits.forEach(function (hit) {
      var item = el("li");
      var link = el("a", hit.tactic.title);
      link.href = "tactics/" + encodeURIComponent(hit.tactic.id) + ".html";
      item.appendChild(link);
      var count = hit.tactic.exemplars;
      item.appendChild(
        el("div", areaNames(hit.tactic.areas) + " \u00b7 " + count + " example" + (count === 1 ? "" : "s"), "card-meta")
      );
      list.appendChild(item);
    });
    output.appendChild(list);
  }

  input.addEventListener("input", function () { show(input.value); });
  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) {
    input.value = initial;
    show(initial);
  }
})();
