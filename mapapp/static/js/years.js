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
  var panel = document.querySelector(".year-panel");
  var routeField = form.querySelector("input[name=route]");
  var exported = !/^(\/|[a-z][a-z0-9+.-]*:)/i.test(form.getAttribute("action"));
  var mapConfig = window.mapapp && window.mapapp.pageConfig();
  var view = window.mapapp && (window.mapapp.view || (mapConfig && window.mapapp.mapView(mapConfig)));

  /* Each route link's address without a year, to add the year shown to. */
  var links = [];
  document.querySelectorAll(".route-list a[data-route]").forEach(function (link) {
    links.push({ link: link, base: link.getAttribute("href").replace(/\?year=\d+$/, "") });
  });

  function shownIn(year) {
    return year === null ? config.all : config.years[String(year)];
  }

  /* The year an address names (its path, or ?year=), or null for all years. */
  function yearOf(location) {
    var match = /\/years\/(\d{4})(?:\.html)?$/.exec(location.pathname) ||
      /[?&]year=(\d{4})(?:&|$)/.exec(location.search);
    return match && shownIn(Number(match[1])) ? Number(match[1]) : null;
  }

  function address(year) {
    if (!exported) {
      return shownIn(year).address;
    }
    return location.pathname + (year === null ? "" : "?year=" + year);
  }

  /* A new entry in the browser's history for the year shown. */
  function remember(year) {
    try {
      history.pushState(Object.assign({}, history.state, { year: year }), "", address(year));
    } catch (error) {
      // A page opened from a file may not change its address: the year is shown all the same.
    }
  }

  var current = config.year;

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
      entry.link.setAttribute("href", entry.base + (year === null ? "" : "?year=" + year));
    });
    document.querySelectorAll("a[data-route='']").forEach(function (back) {
      back.setAttribute("href", shown.map);
    });
    if (allLink) {
      allLink.parentElement.hidden = year === null;
      allLink.setAttribute("href", config.all.address);
    }
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
      view.showYear(year);
    }
    if (!routeField && !document.querySelector(".route-link[aria-current]")) {
      document.title = shown.title;
    }
    if (options.announce && status) {
      status.textContent = shown.status;
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
  window.addEventListener("popstate", function (event) {
    var state = event.state;
    var year = state && state.year !== undefined ? state.year : yearOf(location);
    show(year, { announce: year !== current });
  });

  form.querySelector("[type=submit]").hidden = true;
  // The server rendered the page's own year; a ?year= it could not see (the static export) is
  // shown now, without announcing it.
  var initial = config.year === null ? yearOf(location) : config.year;
  show(initial, { announce: false });
  history.replaceState(Object.assign({}, history.state, { year: initial }), "", location.href);
})();
