/* The page's language, for the other scripts and the reader.
 *
 * - window.mapappText(key, values): the words a script shows, in the page's language, from the
 *   page itself (#ui-messages, written by mapapp/web/i18n.py): the scripts hold no English.
 * - The link to this page in the other language (a[data-twin]) follows what the reader is
 *   looking at: the scripts change the address (a route chosen, ?step= of a slide, a year) and
 *   the link then leads to the same place in the other language, from the site or the export.
 *   It is rewritten when a script says it changed the address (a "mapapp:address" event on the
 *   document), on back and forward, and in any case just before the reader uses it.
 * - On the English front page, a browser whose preferred language is another edition's is
 *   offered that edition (a notice, never a redirect), until the reader closes it.
 */
(function () {
  "use strict";

  var node = document.getElementById("ui-messages");
  var messages = node ? JSON.parse(node.textContent) : {};

  /* A message with its {names} filled in; a pair (one, many) is chosen by values.n. */
  function text(key, values) {
    var message = messages[key];
    if (Array.isArray(message)) {
      message = message[values && values.n === 1 ? 0 : 1];
    }
    return String(message === undefined ? key : message).replace(/\{(\w+)\}/g, function (whole, name) {
      return values && values[name] !== undefined ? String(values[name]) : whole;
    });
  }
  window.mapappText = text;

  var pageLanguage = document.documentElement.lang;

  /* This address in another language: the same path under the other language's prefix, from
   * the site's root (data-site-root, "/" on a server, "../" in an export), with the query and
   * fragment the scripts set. */
  function twin(link) {
    var root = new URL(link.dataset.siteRoot, location.href);
    var path = location.pathname;
    if (root.protocol !== location.protocol || path.indexOf(root.pathname) !== 0) {
      return null;
    }
    var rest = path.slice(root.pathname.length);
    var language = link.hreflang;
    if (pageLanguage !== "en") {
      rest = rest.slice(pageLanguage.length + 1);
    }
    if (language !== "en") {
      rest = language + "/" + rest;
    }
    return root.href + rest + location.search + location.hash;
  }

  function follow(link) {
    var address = link && twin(link);
    if (address) {
      link.href = address;
    }
  }
  ["click", "auxclick", "contextmenu", "focusin", "pointerover"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      follow(event.target instanceof Element ? event.target.closest("a[data-twin]") : null);
    }, true);
  });
  function followAll() {
    document.querySelectorAll("a[data-twin]").forEach(follow);
  }
  document.addEventListener("mapapp:address", followAll);
  window.addEventListener("popstate", followAll);

  /* The notice offering another edition: shown when the browser's first language the site has
   * is that edition's, and not closed before. */
  var KEY = "mapapp-edition-offer-closed";
  function remembered() {
    try {
      return window.localStorage.getItem(KEY) === "1";
    } catch (error) {
      return false; // storage refused (a page from disk, a private window): ask again next time
    }
  }
  var offers = document.querySelectorAll(".edition-offer");
  if (offers.length && !remembered()) {
    var preferred = (navigator.languages || [navigator.language || ""]).map(function (tag) {
      return String(tag).toLowerCase().split("-")[0];
    });
    var wanted = preferred.filter(function (language) {
      return language === "en" || document.querySelector('.edition-offer[data-language="' + language + '"]');
    })[0];
    offers.forEach(function (offer) {
      if (offer.dataset.language === wanted) {
        offer.hidden = false;
        offer.querySelector(".edition-offer-close").addEventListener("click", function () {
          offer.hidden = true;
          try {
            window.localStorage.setItem(KEY, "1");
          } catch (error) {
            // nothing to remember it in: the notice comes back on the next visit
          }
        });
      }
    });
  }
})();
