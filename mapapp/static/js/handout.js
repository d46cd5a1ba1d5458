/* The handout's Print button: the browser's own print dialog (a script file of its own, as the
 * Content-Security-Policy allows no inline handler). Without JavaScript the page says how. */
(function () {
  "use strict";

  var button = document.querySelector(".print-button");
  if (button && window.print) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  }
})();
