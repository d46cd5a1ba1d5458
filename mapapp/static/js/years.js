/* The year control without page loads: the map, the list and the year's events as they were.
 *
 * The control is a plain GET form: without this script it asks the server for the year's page
 * (/years?year=2005 is redirected to /years/2005). With it, moving the slider (arrow keys, Home,
 * End, or the mouse) shows the year at once: the routes in use stay in the list and on the map
 * (view.showYear of static/js/mapview.js), the barriers standing are drawn, the panel shows the
 * year's events, and the live region says what the list now holds. Each year chosen becomes an
 * entry of the browser's history (back and forward return to it): /years/<year> on the map page,
 * ?year=<year> on a route's page, whose links then keep the year.
 *
 * The address follows the route chosen now (static/js/app.js marks its link aria-current, and
 * may change it without a page load): that route's link with ?year=, or the year's map page when
 * none is chosen; when that route was not in use in the year shown, a line under the control says
 * so. The link to the page in the other language is told each new address ("mapapp:address",
 * static/js/i18n.js).
 *
 * Everything a year shows and says comes from the page (#years-config, written by the server from
 * the data: mapapp/web/years.py), so this script neither decides what is in use nor writes any
 * text. In the static export (relative addresses), and where the browser refuses to change the
 * path (a page opened from a file), the year goes into the address as ?year= instead.
 */
(function () {
  "use strict";

  var form = document.querySelector("form.year-control");
  var node = document.getElementById("years-config");
  if (!form || !node) {
    return;
  }
  var config = JSON.parse(node.textContent);
  var input = form.querySelector("input[type=range]");
  var output = form.querySelector("output");
  var status = document.getElementById(input.getAttribute("aria-describedby"));
  var allLink = document.querySelector("[data-year-all]");
  var note = document.querySelector(".year-route-note");
  var panel = document.querySelector(".year-panel");
  var exported = !/^(\/|[a-z][a-z0-9+.-]*:)/i.test(form.getAttribute("action"));
  var mapConfig = window.mapapp && window.mapapp.pageConfig();
  var view = window.mapapp && (window.mapapp.view || (mapConfig && window.mapapp.mapView(mapConfig)));

  /* Each route link's address without a year, to add the year shown to. */
  var links = [];
  document.querySelectorAll(".route-list a[data-route]").forEach(function (link) {
    links.push({ link: link, base: link.getAttribute("href").replace(/\?year=\d+$/, "") });
  });

  /* The route chosen now, as its entry in `links`, or undefined on the map of every route. */
  function chosenRoute() {
    return links.filter(function (entry) {
      return entry.link.hasAttribute("aria-current");
    })[0];
  }

  function withYear(base, year) {
    return base + (year === null ? "" : "?year=" + year);
  }

  function shownIn(year) {
    return year === null ? config.all : config.years[String(year)];
  }

  /* The year an address names (?year=, or its path), or null for all years. */
  function yearOf(location) {
    var match = /[?&]year=(\d{4})(?:&|$)/.exec(location.search) ||
      /\/years\/(\d{4})(?:\.html)?$/.exec(location.pathname);
    return match && shownIn(Number(match[1])) ? Number(match[1]) : null;
  }

  /* This page's address in a year: the chosen route's page or the year's map page, or in the
   * export this very file with ?year=. */
  function address(year) {
    if (exported) {
      return withYear(location.pathname, year);
    }
    var route = chosenRoute();
    return route ? withYear(route.base, year) : shownIn(year).map;
  }

  /* A new entry in the browser's history for the year shown. */
  function remember(year) {
    try {
      history.pushState(Object.assign({}, history.state, { year: year }), "", address(year));
    } catch (error) {
      // A page opened from a file may not change its address: the year is shown all the same.
      return;
    }
    document.dispatchEvent(new CustomEvent("mapapp:address"));
  }

  var current = config.year;

  /* What depends on the route chosen as well as the year: where "Show all years" leads, and the
   * line saying that the route was not in use in the year shown. */
  function followRoute() {
    var shown = shownIn(current);
    var route = chosenRoute();
    if (allLink) {
      allLink.setAttribute("href", address(null));
    }
    if (note) {
      note.hidden = current === null || !route ||
        shown.routes.indexOf(route.link.dataset.route) >= 0;
      note.textContent = shown.not_in_use || "";
    }
  }

  /* Show a year (null: all years): the control, the list, the map, the panel, the title. */
  function show(year, options) {
    var shown = shownIn(year);
    current = year;
    input.value = year === null ? config.last : year;
    if (year === null) {
      input.setAttribute("aria-valuetext", config.all_label);
    } else {
      input.removeAttribute("aria-valuetext");
    }
    output.textContent = year === null ? config.all_label : String(year);
    links.forEach(function (entry) {
      entry.link.closest("li").hidden = shown.routes.indexOf(entry.link.dataset.route) < 0;
      entry.link.setAttribute("href", withYear(entry.base, year));
    });
    document.querySelectorAll("a[data-route='']").forEach(function (back) {
      back.setAttribute("href", shown.map);
    });
    if (allLink) {
      allLink.parentElement.hidden = year === null;
    }
    followRoute();
    if (panel) {
      panel.hidden = year === null;
      var any = false;
      panel.querySelectorAll(".year-events").forEach(function (events) {
        events.hidden = events.dataset.year !== String(year);
        any = any || !events.hidden;
      });
      panel.querySelectorAll("[data-barrier]").forEach(function (item) {
        item.hidden = shown.barriers.indexOf(item.dataset.barrier) < 0;
      });
      panel.querySelectorAll(".year-events-none").forEach(function (none) {
        none.hidden = year === null || any;
      });
      panel.querySelectorAll(".barrier-none").forEach(function (none) {
        none.hidden = shown.barriers.length > 0;
      });
    }
    if (view && view.showYear) {
      view.showYear(shown);
    }
    if (!chosenRoute()) {
      document.title = shown.title;
    }
    if (options.announce && status) {
      status.textContent = shown.status + (note && !note.hidden ? " " + note.textContent : "");
    }
  }

  function chosen() {
    return Number(input.value);
  }

  input.addEventListener("input", function () {
    show(chosen(), { announce: true });
  });
  input.addEventListener("change", function () {
    var changed = !history.state || history.state.year !== chosen();
    show(chosen(), { announce: true });
    if (changed) {
      remember(chosen());
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    show(chosen(), { announce: true });
    remember(chosen());
  });
  if (allLink) {
    allLink.addEventListener("click", function (event) {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
        return;
      }
      event.preventDefault();
      show(null, { announce: true });
      remember(null);
      input.focus();
    });
  }
  // The reader may choose another route without a page load (static/js/app.js).
  var list = document.querySelector(".route-list");
  if (list) {
    new MutationObserver(followRoute)
      .observe(list, { subtree: true, attributes: true, attributeFilter: ["aria-current"] });
  }
  window.addEventListener("popstate", function (event) {
    var state = event.state;
    var year = state && state.year !== undefined ? state.year : yearOf(location);
    show(year, { announce: year !== current });
  });

  form.querySelector("[type=submit]").hidden = true;
  // The server rendered the page's own year; a ?year= it could not see (the static export, where
  // a year's page too keeps a year chosen since in ?year=) is shown now, without announcing it.
  var initial = yearOf(location) || config.year;
  show(initial, { announce: false });
  history.replaceState(Object.assign({}, history.state, { year: initial }), "", location.href);
})();
