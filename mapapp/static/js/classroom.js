/* Teachers' tools in the page: the embed box's Copy button, the embed code of a static export,
 * and the forms of the teachers' guide that open a comparison.
 *
 * - Copy: the code goes to the clipboard (or, where the browser refuses, is selected, and the
 *   box says how to copy it). Without JavaScript the button stays hidden and the box says how to
 *   select the code by hand.
 * - A static export made without a public address has no code on the server: the code is
 *   written here from the address this copy was opened at (a folder, or a plain web server).
 * - A comparison's address is /present/compare/<a>/<b> (and /print/compare/<a>/<b>): the form
 *   goes there directly, so that it works in the export too, where no server redirects it. The
 *   export has each comparison in the routes' order only (the form says so: data-in-order):
 *   there the two go in that order.
 * Its words come from the page (data-* attributes), so they are translated with the rest of it.
 */
(function () {
  "use strict";

  function embedCode(box) {
    var address = new URL(box.dataset.embedPage, location.href).href;
    var frame = document.createElement("iframe");
    frame.setAttribute("src", address);
    frame.setAttribute("title", box.dataset.embedTitle);
    frame.setAttribute("width", "800");
    frame.setAttribute("height", "600");
    frame.setAttribute("loading", "lazy");
    return frame.outerHTML;
  }

  function setUpEmbed(box) {
    var text = box.querySelector(".embed-code");
    var button = box.querySelector(".copy-button");
    var status = box.querySelector(".copy-status");
    if (!text.value) {
      text.value = embedCode(box);
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      function done(copied) {
        status.textContent = copied ? button.dataset.copied : button.dataset.failed;
      }
      text.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text.value).then(function () {
          done(true);
        }, function () {
          done(false);
        });
      } else {
        var copied = false;
        try {
          copied = document.execCommand("copy");
        } catch (error) {
          copied = false;
        }
        done(copied);
      }
    });
  }

  document.querySelectorAll(".embed-box").forEach(setUpEmbed);
  // A story app.js took from its route's page afterwards.
  document.addEventListener("mapapp:story", function (event) {
    event.detail.querySelectorAll(".embed-box").forEach(setUpEmbed);
  });

  document.querySelectorAll("form.compare-form").forEach(function (form) {
    var status = form.querySelector(".form-status");
    form.addEventListener("submit", function (event) {
      var selects = form.querySelectorAll("select");
      var picked = Array.prototype.map.call(selects, function (select) {
        return select.value;
      });
      if (form.dataset.inOrder && selects[0].selectedIndex > selects[1].selectedIndex) {
        picked.reverse();
      }
      event.preventDefault();
      if (picked[0] === picked[1]) {
        status.textContent = form.dataset.same;
        return;
      }
      var button = event.submitter || form.querySelector("button");
      location.assign(button.dataset.address.replace("__first__", encodeURIComponent(picked[0]))
        .replace("__second__", encodeURIComponent(picked[1])));
    });
  });
})();
