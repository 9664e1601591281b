/* kamdocs: filter, sort and render the roll-up tables in the browser.

   Two kinds of table:
   - grids (div[data-kd-grid]): their rows are data (a JSON block written by
     kamdocs/site/grid.py); the first rows are also HTML, so the page reads
     without script. The script filters and sorts all rows and renders the
     matching ones a step at a time. One filter bar per page drives every grid
     on it, and its state lives in the URL (?area=...&state=overdue&q=...).
   - small static tables (table[data-kd-sortable]): sorted in place.

   Cells are built with textContent only, so no plan text becomes markup.
   No dependencies, nothing loaded from outside. */
(function () {
  "use strict"; // i18n: machine
  /* The reader's words and figures. The site puts window.kamdocsWords in front of this script
     (kamdocs/site/language.py): this script's messages in the site's language (a plural one as
     [one, other]), its locale's tag and signs for figures. A message it lacks, or a page without it
     (a theme that loads the script alone), is English, with "1,250". */
  var SPEECH = window.kamdocsWords || {};
  var LANG = typeof SPEECH.lang === "string" && SPEECH.lang ? SPEECH.lang : "en";
  var LANGUAGE = typeof SPEECH.language === "string" ? SPEECH.language : "en";
  var ISO_DATES = SPEECH.isoDates !== false; // English pages without a locale: 2027-12-31
  var WORDS = SPEECH.words || {};
  var GROUP = typeof SPEECH.group === "string" ? SPEECH.group : ",";
  var DECIMAL = typeof SPEECH.decimal === "string" ? SPEECH.decimal : ".";
  function translation(message) {
    return Object.prototype.hasOwnProperty.call(WORDS, message) ? WORDS[message] : null;
  }
  /* A message in the reader's language. */
  function _(message) {
    var said = translation(message);
    return typeof said === "string" && said ? said : message;
  }
  /* The form of a message that goes with n, by the catalogue's plural rule as the site sends it: the
     counts that take the first form (French says "0 plan", German "0 Pläne"). No Intl.PluralRules: an
     Intl object loads the browser's locale data (see collate) as the page opens. */
  var SINGULAR = Array.isArray(SPEECH.singular) ? SPEECH.singular : [1];
  function ngettext(one, other, n) {
    var said = translation(one);
    if (!Array.isArray(said) || !said[0] || !said[1]) { return n === 1 ? one : other; }
    return SINGULAR.indexOf(n) >= 0 ? said[0] : said[1];
  }
  /* A message with its {name}s filled from values (a name values lacks stays as it is). */
  function format(message, values) {
    return message.replace(/\{(\w+)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole;
    });
  }
  var STEP = 50; // rows rendered at a time: about three screens; more load as the reader scrolls
  var GROUP_STEP = 20; // the same for each grid of a page of several (an owner's commitments): six grids are 120 rows
  /* Rows a filter or sort renders before the page shows its result: a screen. At phone width (Material's
     breakpoint, 45em) a row is two or three lines and the filter bar takes a third of the screen, so ten
     rows fill what shows below it; each row the browser lays out before that frame costs a slow phone
     about 4 ms (issue 21). The rest of the step is built in the browser's idle time (Grid.render). */
  function firstRows() { return window.innerWidth < 720 ? 10 : 20; }
  var TYPING = "typing"; // apply()'s remember for typed text: the address follows when the typing pauses
  var TYPING_PAUSE_MS = 300;

  /* A map from names to values that has no key of its own: plan text and URL parameters are looked up
     in it (a facet value, a sort key), and in a plain object "constructor", "__proto__" or "toString"
     would find Object's own members instead of nothing. */
  function dict() { return Object.create(null); }

  /* Long work on a big page (reading 30,000 rows, each row's filter text, a column's sort order) is
     done a slice at a time, each of at most SLICE_MS, so that the page answers the reader between
     slices: no task of it blocks the page for long, on a phone's slower processor too (issue 21).
     A job is called with the time it must stop by and returns true once it is done; soon() runs the
     next slice as the next task (a message, not a timer: timers wait 4 ms once nested). */
  var SLICE_MS = 12;
  // <html data-kd-slices="fine">: the smallest slices, so that a test of a small site goes through every
  // place where the work stops and picks up again (tests/test_grid_slices_browser.py).
  var FINE = document.documentElement.getAttribute("data-kd-slices") === "fine";
  if (FINE) { SLICE_MS = 0; }
  var EVERY = FINE ? 1 : 64; // rows (or lines) between two looks at the clock; a merge looks after 64 times as many
  function now() { return window.performance ? window.performance.now() : Date.now(); }
  var queued = [];
  var channel = window.MessageChannel ? new window.MessageChannel() : null;
  if (channel) { channel.port1.onmessage = function () { queued.shift()(); }; }
  function soon(f) {
    if (channel) { queued.push(f); channel.port2.postMessage(null); } else { window.setTimeout(f, 0); }
  }
  /* f(deadline) when the browser is idle, and within IDLE_WAIT_MS however busy it is; without
     requestIdleCallback, as the next task (no deadline). */
  var IDLE_WAIT_MS = 500;
  var IDLE_LEFT_MS = 4; // idle time a slice leaves unused: building and adding a row takes about 1 ms on a slow phone
  function whenIdle(f) {
    if (window.requestIdleCallback) { window.requestIdleCallback(f, { timeout: IDLE_WAIT_MS }); } else { soon(f); }
  }
  function sliced(job, done, failed) {
    var step = function () {
      var finished;
      try { finished = job(now() + SLICE_MS); } catch (error) { failed(error); return; }
      if (finished) { done(); } else { soon(step); }
    };
    soon(step);
  }
  /* jobs (see sliced) one after another, pause(next) between two (the browser's idle time, or at
     once), then done(); a job that fails stops them (failed). */
  function inTurn(jobs, pause, done, failed) {
    var next = function () {
      var job = jobs.shift();
      if (job) { sliced(job, function () { pause(next); }, failed); } else { done(); }
    };
    next();
  }

  /* Text in the reader's alphabetical order ("Customer 9" before "Customer 10", case and accents
     aside). Made at its first use, not as the script loads: the first Intl object of a page loads the
     browser's locale data, 10 to 25 ms on a desktop and up to 60 ms on a slow phone, which every page
     paid before it could be used (issue 21). Nothing a page does as it loads uses it. */
  var collator = null;
  function collate(a, b) {
    collator = collator || new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });
    return collator.compare(a, b);
  }

  function compare(a, b) {
    if (a === b) { return 0; }
    if (a === null || a === undefined || a === "") { return -1; }
    if (b === null || b === undefined || b === "") { return 1; }
    if (typeof a === "number" && typeof b === "number") { return a - b; }
    return collate(String(a), String(b));
  }

  /* A count as the site's pages write it, with the signs of the site's locale (kamdocs' cards: "10,000",
     "10’000" in de-CH), whatever the browser's language: toLocaleString() loads the locale data too (see
     collate), 15 to 25 ms as a grid page loads, and could write "10.000" beside a card that says "10’000". */
  function thousands(n) {
    var parts = String(n).split(".");
    var whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, GROUP);
    return parts.length > 1 ? whole + DECIMAL + parts[1] : whole;
  }

  /* A key that sorts with < as people expect: numbers as numbers, text without case or accents,
     digit runs padded so that "Customer 9" comes before "Customer 10". Empty sorts first. */
  function sortable(value) {
    if (value === null || value === undefined || value === "") { return ""; }
    if (typeof value === "number") { return "1" + (value + 1e15).toFixed(6).padStart(30, "0"); }
    return "2" + String(value).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/\d+/g, function (digits) { return digits.padStart(20, "0"); });
  }

  /* Values in the order of their sortable() keys, equal keys in their order: a selector's options as
     the filter bar is built, without the collator (see collate). Letters and numbers come as
     collate() puts them; only punctuation may differ ("a_b" after "a1" here, before it there). */
  function naturalOrder(values) {
    var keyed = values.map(function (value, i) { return { key: sortable(value), value: value, i: i }; });
    keyed.sort(function (x, y) { return x.key < y.key ? -1 : x.key > y.key ? 1 : x.i - y.i; });
    return keyed.map(function (k) { return k.value; });
  }

  /* Text as the filters compare it: without case or accents, so "zurich" finds "Zürich". */
  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  /* A sort button in a header cell: Space and Enter both press a button. */
  function sortButton(header, onSort) {
    var button = el("button", "kd-sort", header.textContent.trim());
    button.type = "button";
    button.addEventListener("click", onSort);
    header.textContent = "";
    header.appendChild(button);
  }

  function setSortMark(headers, active, ascending) {
    Array.prototype.forEach.call(headers, function (h) { h.removeAttribute("aria-sort"); });
    if (active) { active.setAttribute("aria-sort", ascending ? "ascending" : "descending"); }
  }

  /* ---- small static tables ---- */

  function staticKey(cell) {
    var marked = cell.querySelector("[data-sort]");
    var text = marked ? marked.getAttribute("data-sort") : cell.textContent.trim();
    var asNumber = Number(text);
    return text !== "" && !isNaN(asNumber) ? asNumber : text;
  }

  function enhanceStatic(table) {
    if (table.getAttribute("data-kd-ready")) { return; }
    table.setAttribute("data-kd-ready", "1");
    var body = table.tBodies[0];
    var headers = table.tHead.rows[0].cells;
    var input = el("input", "kd-filter");
    input.type = "search";
    input.placeholder = _("Filter rows");
    input.setAttribute("aria-label", _("Filter the table"));
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      Array.prototype.forEach.call(body.rows, function (row) {
        var text = row.textContent.toLowerCase();
        row.hidden = !words.every(function (w) { return text.indexOf(w) !== -1; });
      });
    });
    var holder = table.parentNode.classList.contains("kd-scroll") ? table.parentNode : table;
    holder.parentNode.insertBefore(input, holder);
    Array.prototype.forEach.call(headers, function (header, index) {
      sortButton(header, function () {
        var ascending = header.getAttribute("aria-sort") !== "ascending";
        setSortMark(headers, header, ascending);
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (x, y) {
          var order = compare(staticKey(x.cells[index]), staticKey(y.cells[index]));
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  /* ---- grids ---- */

  /* A cell's rules come with the page: each grid's spec holds the rules of its column kinds (written
     once, in kamdocs/site/grid_cells.py), which say where in a cell's value its text, sort key, facet
     value and link are, and how the cell is marked up. Text is made of parts: a string is itself, a
     number is that position of the value (empty when null). */
  function fill(parts, v) {
    return (parts || []).map(function (p) {
      return typeof p === "string" ? p : v[p] === null || v[p] === undefined ? "" : String(v[p]);
    }).join("");
  }
  /* What a cell shows as text, and the filter searches; a list cell's is its items' texts. */
  function cellText(rule, v) {
    if (rule.items !== undefined) {
      return v[rule.items].map(function (item) { return cellText(rule.item, item); }).join(" ");
    }
    var text = rule.text === undefined ? v : v[rule.text];
    return text === null || text === undefined ? rule.blank || "" : String(text);
  }
  function cellSort(rule, v) {
    var key = rule.sort === undefined ? v : v[rule.sort];
    if (key !== null && key !== undefined) { return key; }
    return rule.blank_sort === undefined ? "" : rule.blank_sort;
  }
  function cellFacet(rule, v) {
    return rule.facet === undefined ? cellText(rule, v) : v[rule.facet];
  }
  /* Whether a cell has a facet's value: a list cell (one value per plan) has it when any item does.
     wanted is a value, a list of values (a facet's default) or {part: text} (a typed box's text that
     names no value exactly: any value that holds it, whatever the case). */
  function valueIs(value, wanted) {
    if (typeof wanted === "string") { return value === wanted; }
    if (Array.isArray(wanted)) { return wanted.indexOf(value) !== -1; }
    return fold(value).indexOf(wanted.part) !== -1;
  }
  /* A cell's facet value as the filter compares it: a list cell's, its items' texts. Made once per
     row (Grid.prepareTexts), not at every keystroke. */
  function cellFacetValue(rule, v) {
    if (rule.items !== undefined) {
      return v[rule.items].map(function (item) { return cellText(rule.item, item); });
    }
    return cellFacet(rule, v);
  }
  function hasValue(value, wanted) {
    if (Array.isArray(value)) { return value.some(function (item) { return valueIs(item, wanted); }); }
    return valueIs(value, wanted);
  }
  function noteShows(rule, v) { return Boolean(rule.note) && Boolean(v[rule.note.when]); }
  /* Whether a cell marks its row (rule.row): its note shows, or, in a list, any item's does. */
  function cellFlags(rule, v) {
    if (rule.items !== undefined) {
      return v[rule.items].some(function (item) { return noteShows(rule.item, item); });
    }
    return noteShows(rule, v);
  }

  /* The same markup as grid_cells.cell_html, from the same rule. base: what the page's links need
     before them (data-kd-base), "" but where an engine rewrote the links in the page's HTML and the
     data must follow (Zensical, in a page that is not an index). */
  function renderCell(td, rule, v, base) {
    if (rule.items !== undefined) {
      v[rule.items].forEach(function (item) {
        var span = el("span", "kd-per-plan");
        renderCell(span, rule.item, item, base);
        td.appendChild(span);
      });
      return;
    }
    var holder = td;
    var css = fill(rule.css, v);
    if (css) {
      holder = el("span", css);
      if (rule.state !== undefined) { holder.setAttribute("data-state", v[rule.state]); }
      td.appendChild(holder);
    }
    var text = cellText(rule, v);
    var href = rule.href === undefined ? null : v[rule.href];
    if (href) {
      var link = el("a", "", text);
      link.setAttribute("href", base + href);
      holder.appendChild(link);
    } else if (rule.breakable) {
      appendBreakable(holder, text, rule.breakable);
    } else {
      holder.appendChild(document.createTextNode(text));
    }
    var note = rule.note;
    if (noteShows(rule, v)) {
      td.appendChild(document.createTextNode(" "));
      var mark = el("span", fill(note.css, v), fill(note.text, v));
      if (note.title !== undefined && v[note.title]) { mark.setAttribute("title", v[note.title]); }
      td.appendChild(mark);
    }
  }

  /* Text that wraps, if it must, only after "@" or before ".": an e-mail address (html.breakable: the
     dots of a part only when it is longer than longPart, which the rule gives). */
  function appendBreakable(node, text, longPart) {
    if (text.indexOf("@") === -1 || /\s/.test(text)) {
      node.appendChild(document.createTextNode(text));
      return;
    }
    text.split("@").forEach(function (part, i) {
      if (i) { node.appendChild(document.createTextNode("@")); node.appendChild(document.createElement("wbr")); }
      (part.length > longPart ? part.split(/(?=\.)/) : [part]).forEach(function (piece, j) {
        if (j) { node.appendChild(document.createElement("wbr")); }
        node.appendChild(document.createTextNode(piece));
      });
    });
  }

  /* Whether the reader is moving with Tab (and has not scrolled, clicked or touched since). */
  var tabbing = false;
  document.addEventListener("keydown", function (e) { if (e.key === "Tab") { tabbing = true; } }, true); // i18n: machine (a key's name)
  ["pointerdown", "wheel", "touchstart"].forEach(function (type) {
    document.addEventListener(type, function () { tabbing = false; }, { capture: true, passive: true });
  });

  /* A "Skip past the table" link before a big grid's table, to a point after its "Show more" button:
     without it, a keyboard passes every row's link to reach what follows. */
  var skips = 0;
  function skipLink(root, scroll, more) {
    if ((Number(root.getAttribute("data-total")) || 0) <= 10) { return; }
    skips += 1;
    var target = el("span", "kd-after-table");
    target.id = "kd-after-table-" + skips;
    target.tabIndex = -1;
    root.insertBefore(target, more.nextSibling);
    var link = el("a", "kd-skip", _("Skip past the table"));
    link.href = "#" + target.id;
    root.insertBefore(link, scroll);
  }

  /* Whether the reader has scrolled the page. Rows load by themselves as "Show more" comes near the
     screen only from then on: a grid writes few rows as HTML (page_size), so its button can be near the
     first screen, and loading the rows file and 50 more rows as the page opens would cost a reader who
     only reads the first rows megabytes and the layout of those rows (issue 21). The button works at once. */
  var scrolled = false;
  var nearEnd = []; // grids whose "Show more" came near the screen before the reader scrolled
  window.addEventListener("scroll", function () {
    scrolled = true;
    nearEnd.splice(0).forEach(function (g) { g.moreIfNear(); });
  }, { passive: true, once: true });

  /* The sentences a grid says about its rows, whole, for each kind of row a page has (grid.grid's noun):
     in other languages the words around a count or a state change with the noun (German "Kein Plan",
     "Keine Zusage"). Each takes the count its form follows; the caller fills the {names}. A noun not
     here (a grid added since) gets the sentences with the noun as a {noun} or {one} in them. */
  var SENTENCES = {
    plans: {
      none: function () { return _("No plans yet."); },
      all: function (n) { return ngettext("All {count} plan.", "All {count} plans.", n); },
      first: function (n) {
        // TRANSLATORS: the page's first view: {state} is the view's states (open or in progress), {facet}
        // the selector that shows the {others} others (Status).
        return ngettext("All {count} plan {state}; {others} others under {facet}.",
          "All {count} plans {state}; {others} others under {facet}.", n);
      },
      zero: function () { return _("No plans match the filter ({total} in all)."); },
      // TRANSLATORS: the verb follows {count}, the plural form too: "1 of 250 plans" in English.
      some: function (n) { return ngettext("{count} of {total} plans match the filter.", "{count} of {total} plans match the filter.", n); },
      failed: function () { return _("The rest of the plans could not be loaded ({error})."); },
      filter: function () { return _("Filter plans"); },
      // TRANSLATORS: {asked} is what the reader filtered for, as a list: “dairy”, status overdue.
      nothing: function () { return _("No plan matches {asked}."); },
      unasked: function () { return _("No plan matches this view."); }
    },
    commitments: {
      none: function () { return _("No commitments yet."); },
      all: function (n) { return ngettext("All {count} commitment.", "All {count} commitments.", n); },
      first: function (n) {
        // TRANSLATORS: the page's first view: {state} is the view's states (open or in progress), {facet}
        // the selector that shows the {others} others (Status).
        return ngettext("All {count} commitment {state}; {others} others under {facet}.",
          "All {count} commitments {state}; {others} others under {facet}.", n);
      },
      zero: function () { return _("No commitments match the filter ({total} in all)."); },
      // TRANSLATORS: the verb follows {count}, the plural form too: "1 of 250 commitments" in English.
      some: function (n) { return ngettext("{count} of {total} commitments match the filter.", "{count} of {total} commitments match the filter.", n); },
      failed: function () { return _("The rest of the commitments could not be loaded ({error})."); },
      filter: function () { return _("Filter commitments"); },
      // TRANSLATORS: {asked} is what the reader filtered for, as a list: “dairy”, status overdue.
      nothing: function () { return _("No commitment matches {asked}."); },
      unasked: function () { return _("No commitment matches this view."); }
    },
    people: {
      none: function () { return _("No people yet."); },
      all: function (n) { return ngettext("All {count} person.", "All {count} people.", n); },
      first: function (n) {
        // TRANSLATORS: the page's first view: {state} is the view's states (open or in progress), {facet}
        // the selector that shows the {others} others (Status).
        return ngettext("All {count} person {state}; {others} others under {facet}.",
          "All {count} people {state}; {others} others under {facet}.", n);
      },
      zero: function () { return _("No people match the filter ({total} in all)."); },
      // TRANSLATORS: the verb follows {count}, the plural form too: "1 of 250 people" in English.
      some: function (n) { return ngettext("{count} of {total} people match the filter.", "{count} of {total} people match the filter.", n); },
      failed: function () { return _("The rest of the people could not be loaded ({error})."); },
      filter: function () { return _("Filter people"); },
      // TRANSLATORS: {asked} is what the reader filtered for, as a list: “dairy”, status overdue.
      nothing: function () { return _("No person matches {asked}."); },
      unasked: function () { return _("No person matches this view."); }
    }
  };
  /* The same for any other noun, which comes in English: {noun} is the plural (plans), {one} the singular
     (plan), {rows} the one of them that goes with {count} in English. */
  var ANY_NOUN = {
    // TRANSLATORS: {noun} is a kind of row, in English: plans, commitments.
    none: function () { return _("No {noun} yet."); },
    // TRANSLATORS: {rows} is a kind of row, in English: plan or plans, commitment or commitments.
    all: function (n) { return ngettext("All {count} {rows}.", "All {count} {rows}.", n); },
    first: function (n) {
      // TRANSLATORS: {rows} is a kind of row, in English: commitment or commitments; {state} the view's
      // states (open or in progress), {facet} the selector that shows the {others} others (Status).
      return ngettext("All {count} {rows} {state}; {others} others under {facet}.",
        "All {count} {rows} {state}; {others} others under {facet}.", n);
    },
    zero: function () { return _("No {noun} match the filter ({total} in all)."); },
    some: function (n) { return ngettext("{count} of {total} {noun} match the filter.", "{count} of {total} {noun} match the filter.", n); },
    failed: function () { return _("The rest of the {noun} could not be loaded ({error})."); },
    filter: function () { return _("Filter {noun}"); },
    nothing: function () { return _("No {one} matches {asked}."); },
    unasked: function () { return _("No {one} matches this view."); }
  };
  /* A grid's sentence `which`, its form for n, with values and the grid's noun filled in. */
  function say(grid, which, n, values) {
    var own = Object.prototype.hasOwnProperty.call(SENTENCES, grid.noun) ? SENTENCES[grid.noun] : null;
    var sentence = own && own[which] ? own[which](n) : ANY_NOUN[which](n);
    values.noun = grid.noun;
    values.one = grid.one;
    values.rows = n === 1 ? grid.one : grid.noun; // in English; the sentences above say it in the reader's
    return format(sentence, values);
  }

  function Grid(root, step) {
    var spec = JSON.parse(root.querySelector("script.kd-grid-spec").textContent);
    var self = this;
    this.root = root;
    this.step = step; // rows rendered at a time
    this.base = root.getAttribute("data-kd-base") || "";
    this.noun = spec.noun;
    this.one = spec.one || spec.noun;
    this.cols = spec.cols;
    this.kinds = spec.kinds; // each column kind's rules, by kind; in the order their row marks win
    this.facets = spec.facets;
    this.rows = null; // parsed when the browser is idle, or at the first filter or sort (see data())
    this.haystack = null;
    this.total = Number(root.getAttribute("data-total")) || 0;
    this.shown = spec.cols.filter(function (c) { return !c.hide; });
    this.position = dict(); // column index by key
    spec.cols.forEach(function (c, i) { self.position[c.k] = i; });
    this.table = root.querySelector("table");
    this.body = this.table.tBodies[0];
    this.status = root.querySelector(".kd-grid-status");
    this.section = root.closest(".kd-grid-section");
    this.rendered = Number(root.getAttribute("data-first")) || 0;
    this.order = null; // row indices in sort order; null is the order of the data
    this.orders = dict(); // sort orders already computed, by column key: a second sort costs nothing
    this.sortKeys = dict(); // the sort keys of an order still being made, by column key
    this.cache = Array.prototype.slice.call(this.body.rows); // row elements by row index: the HTML rows first
    this.matched = null; // indices of the matching rows, in order; null is the page's first view, in data order
    // The first view: every row, or the first data-showing rows when a facet has a default (open commitments).
    this.showing = root.hasAttribute("data-showing") ? Number(root.getAttribute("data-showing")) : null;
    this.more = el("button", "kd-more");
    this.more.type = "button";
    this.more.hidden = true;
    this.more.addEventListener("click", function () { self.renderMore(); });
    root.insertBefore(this.more, this.table.parentNode.nextSibling);
    this.near = false; // "Show more" is on the screen or within 400 px of it
    if ("IntersectionObserver" in window) { // i18n: machine
      // Rows load as the reader scrolls, but not while they move with Tab: the button stays where they
      // reach it, and loads when they press it.
      new IntersectionObserver(function (entries) {
        self.near = entries[entries.length - 1].isIntersecting;
        if (scrolled) { self.moreIfNear(); } else if (self.near && nearEnd.indexOf(self) === -1) { nearEnd.push(self); }
      }, { rootMargin: "400px" }).observe(this.more);
    }
    skipLink(root, this.table.parentNode, this.more);
    this.headers = this.table.tHead.rows[0].cells;
    this.shown.forEach(function (c, i) {
      sortButton(self.headers[i], function () { self.onSort(c.k); });
    });
    this.updateStatus(false);
  }

  /* Where rows come from: the page's JSON block, or, on a page with many rows, the page's rows file
     (kamdocs/site/grid_rows.py), which the block names with this grid's place in it (data-kd-rows,
     data-kd-part). load() gets them once, as a promise; data() is the rows once they are there. */
  var rowFiles = dict(); // a page's rows file, fetched once for all its grids, by URL
  Grid.prototype.load = function () {
    var self = this;
    if (!this.loading) {
      var block = this.root.querySelector("script.kd-grid-data");
      var url = block.getAttribute("data-kd-rows");
      var part = Number(block.getAttribute("data-kd-part"));
      if (url && !rowFiles[url]) {
        rowFiles[url] = window.fetch(url).then(function (response) {
          if (!response.ok) { throw new Error(url + ": " + response.status); }
          return readRows(response);
        });
      }
      this.loading = (url ? rowFiles[url].then(function (all) { return all[part]; })
        : Promise.resolve(JSON.parse(block.textContent))).then(function (rows) {
        self.rows = rows;
        self.total = rows.length;
        if (self.loaded) { self.loaded(); }
        return rows;
      }, function (error) {
        self.loading = null; // a later filter or scroll asks again
        if (url) { delete rowFiles[url]; }
        self.status.textContent = say(self, "failed", 0, { error: error.message });
        throw error;
      });
    }
    return this.loading;
  };
  Grid.prototype.data = function () { return this.rows; };

  /* A rows file's grids, read a piece and a few lines at a time: grid_rows.py writes one row per
     line, so neither decoding nor parsing many megabytes at once blocks the page (13 MB of
     stakeholders at 10,000 plans). The file's own lines are "[", "]" and "],"; every other line is
     one row, with a comma after all but a grid's last (a row is a list of cells, never one of those). */
  var DECODED_BYTES = FINE ? 999 : 131072; // read and decoded at a time: a few milliseconds on a slow phone
  function readRows(response) {
    return new Promise(function (resolve, reject) {
      var parts = [];
      var depth = 0;
      var text = ""; // what has come and is not read yet, from `at`
      var at = 0;
      var ended = false;
      var lines = function (until) { // true once every whole line that has come is read
        for (var k = 1; ; k++) {
          var end = text.indexOf("\n", at);
          if (end === -1) {
            if (!ended) { text = text.slice(at); at = 0; return true; } // the rest of the line is to come
            if (at >= text.length) { return true; }
            end = text.length;
          }
          var line = text.slice(at, end);
          at = end + 1;
          if (line === "[") {
            depth += 1;
            if (depth === 2) { parts.push([]); }
          } else if (line === "]" || line === "],") {
            depth -= 1;
          } else if (line) {
            if (depth !== 2) { throw new Error("not a rows file"); }
            parts[parts.length - 1].push(JSON.parse(line.charAt(line.length - 1) === "," ? line.slice(0, -1) : line));
          }
          if (k % EVERY === 0 && now() >= until) { return false; }
        }
      };
      var take = function (piece, last, more) {
        text += piece;
        ended = last;
        sliced(lines, function () { if (last) { resolve(parts); } else { more(); } }, reject);
      };
      // The file is taken whole as a blob, which stays out of the page (its body read as a stream or
      // as text lands in the page in one task of a quarter of a second on a slow phone), then decoded
      // a piece at a time.
      response.blob().then(function (blob) {
        var decoder = new window.TextDecoder();
        var from = 0;
        var more = function () {
          var to = Math.min(from + DECODED_BYTES, blob.size);
          blob.slice(from, to).arrayBuffer().then(function (buffer) {
            from = to;
            take(decoder.decode(buffer, { stream: from < blob.size }), from >= blob.size, more);
          }, reject);
        };
        more();
      }, reject);
    });
  }

  /* Run then() once every grid's rows are there: at once if they are, else when they come. */
  function withRows(grids, then, failed) {
    if (grids.every(function (g) { return g.rows; })) { then(); return; }
    Promise.all(grids.map(function (g) { return g.load(); })).then(then, failed || function () {});
  }

  /* One lower-case text per row for the free-text filter: the searched columns' values (names and
     words, never dates or figures, see grid.Column.search), each between two \u0001, so that a
     value the reader typed whole is found as "\u0001value\u0001". */
  Grid.prototype.rowText = function (row) {
    var parts = [];
    for (var i = 0; i < this.cols.length; i++) {
      var rule = this.kinds[this.cols[i].kind];
      // A badge's state and a band are words ("overdue", "good"), though their column is not searched.
      if (rule.facet !== undefined) { parts.push(cellFacet(rule, row[i])); }
      if (!this.cols[i].s) { continue; }
      if (rule.items !== undefined) {
        row[i][rule.items].forEach(function (item) { parts.push(cellText(rule.item, item)); });
      } else {
        parts.push(cellText(rule, row[i]));
      }
    }
    return fold("\u0001" + parts.join("\u0001") + "\u0001");
  };
  /* The filter texts, made up to `until` (a slice of the page's idle time); true once every row has
     its text. texts() makes the rest at once, for a filter that cannot wait. */
  Grid.prototype.prepareTexts = function (until) {
    var rows = this.data();
    var hay = this.haystack || (this.haystack = []);
    var values = this.facetValues; // each faceted column's values, by column index
    if (!values) {
      values = this.facetValues = dict();
      this.cols.forEach(function (c, i) { if (c.f) { values[i] = []; } });
    }
    var faceted = Object.keys(values).map(Number);
    while (hay.length < rows.length) {
      var row = rows[hay.length];
      for (var k = 0; k < faceted.length; k++) {
        var i = faceted[k];
        values[i].push(cellFacetValue(this.kinds[this.cols[i].kind], row[i]));
      }
      hay.push(this.rowText(row));
      if (hay.length % EVERY === 0 && now() >= until) { return false; }
    }
    return true;
  };
  Grid.prototype.texts = function () {
    this.prepareTexts(Infinity);
    return this.haystack;
  };
  /* A job for sliced() per grid: its filter texts. */
  function textJobs(grids) {
    return grids.map(function (g) { return function (until) { return g.prepareTexts(until); }; });
  }

  Grid.prototype.sortBy = function (key, ascending) {
    var i = this.position[key];
    if (i === undefined) { return false; }
    var order = this.ascendingOrder(key);
    // Descending is the ascending order reversed, ties included, so it is computed once.
    this.order = ascending ? order : order.slice().reverse();
    var shownIndex = this.shown.indexOf(this.cols[i]);
    setSortMark(this.headers, this.headers[shownIndex], ascending);
    return true;
  };

  /* Row indices in ascending order of a column, computed once. Numbers compare as numbers, text by
     its natural key (see sortable); empty cells come first. */
  Grid.prototype.ascendingOrder = function (key) {
    this.prepareOrder(key, Infinity);
    return this.orders[key];
  };
  /* The same, made up to `until`: each row's value, then its key (both in slices), then the sort. */
  Grid.prototype.prepareOrder = function (key, until) {
    if (this.orders[key]) { return true; }
    var i = this.position[key];
    var rule = this.kinds[this.cols[i].kind];
    var rows = this.data();
    var made = this.sortKeys[key] || (this.sortKeys[key] = { raw: [], keys: [], numeric: true });
    while (made.raw.length < rows.length) {
      var v = cellSort(rule, rows[made.raw.length][i]);
      made.raw.push(v);
      if (!(typeof v === "number" || v === null || v === "")) { made.numeric = false; }
      if (made.raw.length % EVERY === 0 && now() >= until) { return false; }
    }
    var raw = made.raw;
    var keys = made.keys;
    while (keys.length < rows.length) {
      var value = raw[keys.length];
      keys.push(made.numeric ? (typeof value === "number" ? value : -Infinity) : sortable(value));
      if (keys.length % EVERY === 0 && now() >= until) { return false; }
    }
    made.sort = made.sort || sortJob(keys);
    if (!made.sort(until)) { return false; }
    this.orders[key] = made.sort.order;
    delete this.sortKeys[key];
    return true;
  };

  /* Indices 0..n-1 in ascending order of keys, equal keys in index order, as a job for sliced():
     a merge sort that may stop at `until` between two merges (Array.sort of 30,000 rows is one task
     of up to 200 ms on a slow phone). Once it returns true, job.order is the order. */
  function sortJob(keys) {
    var n = keys.length;
    var src = keys.map(function (_, i) { return i; });
    var dst = new Array(n);
    var width = 1;
    var start = 0;
    var job = function (until) {
      var done = 0;
      for (; width < n; width *= 2, start = 0) {
        for (; start < n; start = Math.min(start + 2 * width, n)) {
          var a = start, mid = Math.min(start + width, n), b = mid, end = Math.min(start + 2 * width, n), k = start;
          // The left run's row first when keys are equal: the sort keeps the page's order among them.
          while (a < mid && b < end) { dst[k++] = keys[src[b]] < keys[src[a]] ? src[b++] : src[a++]; }
          while (a < mid) { dst[k++] = src[a++]; }
          while (b < end) { dst[k++] = src[b++]; }
          done += end - start;
          if (done > EVERY * 64 && end < n && now() >= until) { start = end; return false; }
        }
        var swap = src;
        src = dst;
        dst = swap;
      }
      job.order = src;
      return true;
    };
    return job;
  }

  /* Whether text has word at the start of one of its words: "3" finds "Customer 3 AG", not "2023". */
  var WORD_CHAR = /[\p{L}\p{N}]/u;
  function hasWord(text, word) {
    for (var at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) {
      if (at === 0 || !WORD_CHAR.test(text.charAt(at - 1))) { return true; }
    }
    return false;
  }

  /* How well a row's text (texts()) answers the typed text, best first: 0 a value that is the whole
     text, 1 a value that starts with it as whole words ("customer 92" in "Customer 92 AG"), 2 a value
     that starts with it ("Customer 920 AG"), 3 none (its words are elsewhere). */
  function rank(text, whole) {
    var best = 3;
    for (var at = text.indexOf(whole); at !== -1 && best > 0; at = text.indexOf(whole, at + 1)) {
      var next = text.charAt(at + whole.length);
      best = Math.min(best, next === "\u0001" ? 0 : WORD_CHAR.test(next) ? 2 : 1);
    }
    return best;
  }

  /* The matching rows: every facet's value, and every word at the start of a word of the searched
     columns. With text, the rows come in the order of their rank(), each rank in the page's (or the
     sort's) order. */
  Grid.prototype.filter = function (words, facets) {
    var self = this;
    var checks = [];
    Object.keys(facets).forEach(function (name) {
      self.cols.forEach(function (c, i) {
        if (c.f === name) { checks.push([i, facets[name]]); }
      });
    });
    var rows = this.data();
    var hay = words.length || checks.length ? this.texts() : null;
    var values = this.facetValues;
    // A reader typing adds to the words: "cu" then "cus". Each row a longer word finds, the shorter
    // one found (a word that starts with "cus" starts with "cu"), so with the same selectors and
    // order only the rows found last time are searched again.
    var asked = JSON.stringify(facets);
    var last = this.last;
    var narrower = last && last.asked === asked && last.order === this.order && words.length >= last.words.length &&
      last.words.every(function (w, k) { return words[k].indexOf(w) === 0; });
    var base = narrower ? last.found : this.order || rows.map(function (_, n) { return n; });
    // A sort keeps the filter: the rows found last time, in the new order (a selector's test of 30,000
    // rows took a sort 30 ms on a slow phone).
    var resorted = last && !narrower && last.asked === asked && words.length === last.words.length &&
      last.words.every(function (w, k) { return words[k] === w; });
    var found = resorted ? new Uint8Array(rows.length) : null;
    if (resorted) { last.found.forEach(function (n) { found[n] = 1; }); }
    var matched = resorted ? base.filter(function (n) { return found[n] === 1; }) : base.filter(function (n) {
      for (var k = 0; k < checks.length; k++) {
        if (!hasValue(values[checks[k][0]][n], checks[k][1])) { return false; }
      }
      var text = hay && hay[n];
      for (var w = 0; w < words.length; w++) {
        if (!hasWord(text, words[w])) { return false; }
      }
      return true;
    });
    this.last = { asked: asked, order: this.order, words: words, found: matched };
    if (words.length) {
      var whole = "\u0001" + words.join(" ");
      var tiers = [[], [], [], []];
      matched.forEach(function (n) { tiers[rank(hay[n], whole)].push(n); });
      matched = tiers[0].concat(tiers[1], tiers[2], tiers[3]);
    }
    this.matched = matched;
  };

  Grid.prototype.row = function (n) {
    var cached = this.cache[n];
    if (cached) { return cached; }
    var data = this.data()[n];
    var tr = document.createElement("tr");
    var position = this.position;
    var base = this.base;
    var kinds = this.kinds;
    var marks = dict(); // the row marks its cells give it
    this.shown.forEach(function (c) {
      var td = el("td", c.cls); // the classes the server gives the column's cells
      var rule = kinds[c.kind];
      var v = data[position[c.k]];
      renderCell(td, rule, v, base);
      if (rule.row && cellFlags(rule, v)) { marks[rule.row] = true; }
      tr.appendChild(td);
    });
    // The first kind's mark wins (overdue before stale), as in grid_cells.row_class.
    Object.keys(kinds).some(function (kind) {
      var mark = kinds[kind].row;
      if (mark && marks[mark]) { tr.className = mark; }
      return Boolean(tr.className);
    });
    this.cache[n] = tr;
    return tr;
  };

  /* The first step's matching rows. budget.rows is how many rows the page still renders before the
     reader sees the result (a screen or so, shared by the page's grids in their order); the rest of
     the step is built in the browser's idle time after it, a few rows at a time (flush), so a keystroke
     that changes every row on a page of six grids does not wait for 300 new rows to be laid out, and
     the next keystroke does not wait for rows below the screen either. */
  Grid.prototype.render = function (budget) {
    var same = this.shownRows && this.shownRows.length === Math.min(this.step, this.matched.length);
    for (var k = 0; same && k < this.shownRows.length; k++) { same = this.shownRows[k] === this.matched[k]; }
    if (same && this.rendered <= this.step) { this.updateStatus(true); return; }
    var end = Math.min(this.step, this.matched.length);
    var first = Math.min(end, Math.max(budget.rows, 0));
    budget.rows -= first;
    var fragment = document.createDocumentFragment();
    for (var i = 0; i < first; i++) { fragment.appendChild(this.row(this.matched[i])); }
    this.body.textContent = "";
    this.body.appendChild(fragment);
    this.rendered = end;
    this.shownRows = this.matched.slice(0, end);
    var rest = first < end ? this.shownRows.slice(first) : null;
    var self = this;
    this.rest = rest;
    this.restAt = 0; // rest[restAt:] are still to be built
    var more = function (deadline) {
      if (self.rest !== rest) { return; } // a later filter replaced them, or flush() built them
      self.flush(deadline && !deadline.didTimeout ? deadline : null);
      if (self.rest === rest) { whenIdle(more); }
    };
    if (rest) { whenIdle(more); }
    this.updateStatus(true);
  };
  /* The rows of the step that render() left for later: while the idle period lasts (deadline, from
     requestIdleCallback; at least one row), or all of them now (no deadline: before more are added,
     or the browser was not idle for IDLE_WAIT_MS). */
  Grid.prototype.flush = function (deadline) {
    if (!this.rest) { return; }
    var fragment = document.createDocumentFragment();
    var rest = this.rest;
    do {
      fragment.appendChild(this.row(rest[this.restAt++]));
    } while (this.restAt < rest.length && (!deadline || !FINE && deadline.timeRemaining() > IDLE_LEFT_MS));
    if (this.restAt === rest.length) { this.rest = null; }
    this.body.appendChild(fragment);
  };

  /* The indices of the rows the reader sees: the filter's, else the page's first view. */
  Grid.prototype.view = function () {
    if (this.matched) { return this.matched; }
    var showing = this.showing === null ? this.data().length : this.showing;
    return this.data().slice(0, showing).map(function (_, n) { return n; });
  };

  Grid.prototype.moreIfNear = function () {
    if (this.near && !this.more.hidden && !tabbing) { this.renderMore(); }
  };

  Grid.prototype.renderMore = function () {
    var self = this;
    if (!this.rows) { // the rows file is on its way: render when it comes, once however often asked
      if (!this.waiting) {
        this.waiting = true;
        this.load().then(function () { self.waiting = false; self.renderMore(); }, function () { self.waiting = false; });
      }
      return;
    }
    if (!this.matched) { this.matched = this.view(); }
    this.flush();
    var fragment = document.createDocumentFragment();
    var end = Math.min(this.rendered + this.step, this.matched.length);
    for (var i = this.rendered; i < end; i++) { fragment.appendChild(this.row(this.matched[i])); }
    this.body.appendChild(fragment);
    this.rendered = end;
    this.updateStatus(false);
  };

  Grid.prototype.updateStatus = function (filtered) {
    var total = this.total;
    var count = this.matched ? this.matched.length : this.showing === null ? total : this.showing;
    var figures = { count: thousands(count), total: thousands(total) };
    var text;
    if (total === 0) {
      text = say(this, "none", 0, figures);
    } else if (count === total) {
      text = say(this, "all", total, figures);
    } else if (this.showing !== null && (!this.matched || this.atDefault)) {
      // The page's first view (open commitments): what it shows, and where the others are.
      var deflt = this.facets.filter(function (f) { return f["default"]; })[0];
      figures.state = deflt["default"].t;
      figures.others = thousands(total - count);
      figures.facet = deflt.t;
      text = say(this, "first", count, figures);
    } else if (count === 0) {
      text = say(this, "zero", total, figures);
    } else {
      text = say(this, "some", count, figures);
    }
    if (this.rendered < count) {
      text += " " + format(ngettext("Showing the first {count}; more load as you scroll.",
        "Showing the first {count}; more load as you scroll.", this.rendered), { count: thousands(this.rendered) });
    }
    this.status.textContent = text;
    var left = count - this.rendered;
    this.more.hidden = left <= 0;
    var next = Math.min(this.step, left);
    // TRANSLATORS: a button under a table: {count} more rows now, {left} rows not shown yet.
    this.more.textContent = format(ngettext("Show {count} more ({left} left)", "Show {count} more ({left} left)", next),
      { count: thousands(next), left: thousands(left) });
    // A section of nothing is hidden: the reader's filter left it empty, or it holds only rows the page's
    // first view leaves out (an owner whose commitments are all done).
    if (this.section) { this.section.hidden = count === 0 && (filtered || total > 0); }
  };

  /* One filter bar for every grid on the page; its state is the URL's query. */
  function Controls(grids) {
    var self = this;
    this.grids = grids;
    this.facets = []; // [{name, title, values: {value: count}, labels: {value: words}}], summed over the page's grids
    var byName = dict();
    grids.forEach(function (g) {
      g.facets.forEach(function (f) {
        var facet = byName[f.f];
        if (!facet) {
          // values and labels are keyed by plan text (an owner, a region): maps without keys of their own.
          facet = byName[f.f] = { name: f.f, title: f.t, values: dict(), labels: dict() };
          self.facets.push(facet);
        }
        if (f.typed) { facet.typed = true; }
        if (f["default"]) { facet.deflt = f["default"]; }
        Object.keys(f.labels || {}).forEach(function (value) { facet.labels[value] = f.labels[value]; });
        f.values.forEach(function (pair) { facet.values[pair[0]] = (facet.values[pair[0]] || 0) + pair[1]; });
      });
    });
    var g0 = grids[0];
    var bar = el("div", "kd-controls");
    bar.setAttribute("role", "search");
    bar.setAttribute("aria-label", say(g0, "filter", 0, {}));
    var label = el("label", "kd-control");
    // TRANSLATORS: the name of the filter bar's text box (a noun where the language has one: Filter).
    label.appendChild(el("span", "kd-control-name", _("Filter")));
    this.input = el("input", "kd-filter");
    this.input.type = "search";
    this.input.placeholder = _("Any word in a row");
    label.appendChild(this.input);
    bar.appendChild(label);
    this.selects = dict();
    this.facets.forEach(function (facet) {
      var wrap = el("label", "kd-control");
      wrap.appendChild(el("span", "kd-control-name", facet.title));
      if (facet.typed) {
        wrap.appendChild(self.typedBox(facet));
        bar.appendChild(wrap);
        return;
      }
      var select = el("select", "kd-facet");
      select.name = facet.name;
      // TRANSLATORS: a selector's option: rows with any value.
      var all = el("option", "", _("All"));
      all.value = "";
      if (facet.deflt) {
        // The page's first view: its option is "" (no value in the URL); All is then a value of its own.
        var shown = el("option", "", facet.deflt.t + " (" + facet.deflt.values.reduce(function (sum, value) {
          return sum + (facet.values[value] || 0);
        }, 0) + ")");
        shown.value = "";
        select.appendChild(shown);
        all.value = "all";
        // TRANSLATORS: a selector's option: rows with any value, and how many there are.
        all.textContent = format(_("All ({count})"), { count: Object.keys(facet.values).reduce(function (sum, value) {
          return sum + facet.values[value];
        }, 0) });
      }
      select.appendChild(all);
      naturalOrder(Object.keys(facet.values)).forEach(function (value) {
        // The reader's words for a machine value (due-soon); the value itself stays the URL's.
        var option = el("option", "", (facet.labels[value] || value) + " (" + facet.values[value] + ")");
        option.value = value;
        select.appendChild(option);
      });
      select.addEventListener("change", function () { self.apply(true); });
      wrap.appendChild(select);
      bar.appendChild(wrap);
      self.selects[facet.name] = select;
    });
    // Every sort, as a selector: a phone hides some columns and with them their header buttons (the
    // stylesheet shows the selector only then). Its value is the URL's sort, "key" or "-key".
    var sortWrap = el("label", "kd-control kd-control-sort");
    sortWrap.appendChild(el("span", "kd-control-name", _("Sort by")));
    this.sortSelect = el("select", "kd-sort-select");
    this.sortSelect.name = "sort";
    var unsorted = el("option", "", _("The page's order"));
    unsorted.value = "";
    this.sortSelect.appendChild(unsorted);
    this.sorts = dict(); // every sort the page offers ("key", "-key"): the only ones the URL may ask for
    grids.forEach(function (g) {
      g.shown.forEach(function (c) {
        if (self.sorts[c.k]) { return; }
        // TRANSLATORS: options of the "Sort by" selector; {column} is a column's title.
        var up = format(_("{column}, ascending"), { column: c.t });
        var down = format(_("{column}, descending"), { column: c.t });
        [[c.k, up], ["-" + c.k, down]].forEach(function (pair) {
          self.sorts[pair[0]] = true;
          var option = el("option", "", pair[1]);
          option.value = pair[0];
          self.sortSelect.appendChild(option);
        });
      });
    });
    this.sortSelect.addEventListener("change", function () {
      self.sort = self.sortSelect.value || null;
      if (!self.sort) { self.grids.forEach(function (g) { g.order = null; setSortMark(g.headers, null); }); }
      self.apply(true, true);
    });
    sortWrap.appendChild(this.sortSelect);
    bar.appendChild(sortWrap);
    // TRANSLATORS: a button that empties the filter bar.
    var clear = el("button", "kd-clear", _("Clear"));
    clear.type = "button";
    clear.addEventListener("click", function () {
      self.input.value = "";
      Object.keys(self.selects).forEach(function (k) { self.selects[k].value = ""; });
      self.apply(true);
    });
    bar.appendChild(clear);
    this.viewButtons(bar);
    this.noMatch = el("p", "kd-no-match");
    this.noMatch.setAttribute("role", "status");
    this.noMatch.hidden = true;
    this.input.addEventListener("input", function () { self.apply(TYPING); });
    var place = document.querySelector("[data-kd-controls]");
    if (place) { place.appendChild(bar); } else { g0.root.parentNode.insertBefore(bar, g0.root); }
    bar.parentNode.insertBefore(this.noMatch, bar.nextSibling);
    this.sort = null; // "key" or "-key"
    grids.forEach(function (g) {
      g.onSort = function (key) {
        var ascending = self.sort !== key;
        self.sort = ascending ? key : "-" + key;
        self.apply(true, true);
      };
    });
    window.addEventListener("pagehide", function () { self.rememberNow(); });
    this.read();
    this.followContents();
  }

  /* A facet with too many values for a list (accounts): a box to type in, the values as suggestions,
     filled when the reader first comes to it. Its text picks the value it names (whatever the case),
     else every value that holds it. */
  Controls.prototype.typedBox = function (facet) {
    var self = this;
    var box = el("input", "kd-facet kd-facet-typed");
    box.type = "search";
    box.name = facet.name;
    box.placeholder = _("Type to choose");
    box.setAttribute("autocomplete", "off");
    var list = el("datalist");
    list.id = "kd-values-" + facet.name;
    box.setAttribute("list", list.id);
    var filled = false;
    var fill = function () {
      if (filled) { return; }
      filled = true;
      withRows(self.grids, function () {
        Object.keys(self.typedValues(facet)).sort(collate).forEach(function (value) {
          var option = el("option");
          option.value = value;
          list.appendChild(option);
        });
      });
    };
    box.addEventListener("focus", fill);
    box.addEventListener("input", function () { self.apply(TYPING); });
    this.typed = this.typed || dict();
    this.typed[facet.name] = facet;
    this.selects[facet.name] = box;
    var holder = el("span", "kd-typed");
    holder.appendChild(box);
    holder.appendChild(list);
    return holder;
  };

  /* A typed box's values (every account): not in the page, where they would weigh as much as the
     rows; taken from the rows of every grid once they are there. */
  Controls.prototype.typedValues = function (facet) {
    if (!facet.fromRows) {
      var values = facet.fromRows = dict();
      this.grids.forEach(function (g) {
        g.texts();
        g.cols.forEach(function (c, i) {
          if (c.f !== facet.name) { return; }
          g.facetValues[i].forEach(function (value) {
            [].concat(value).forEach(function (v) { if (v !== "") { values[v] = true; } });
          });
        });
      });
    }
    return facet.fromRows;
  };

  /* What the filter asks of a facet: its value, the values of its default, a typed box's value, or none. */
  Controls.prototype.wanted = function (name) {
    var value = this.selects[name].value;
    var facet = this.facets.filter(function (f) { return f.name === name; })[0];
    if (facet.typed) {
      value = value.trim();
      if (!value) { return null; }
      var folded = fold(value);
      if (!facet.byFolded) { // the values by their folded text ("Zürich AG" and "Zurich AG" are one), made once
        facet.byFolded = dict();
        Object.keys(this.typedValues(facet)).forEach(function (v) {
          (facet.byFolded[fold(v)] = facet.byFolded[fold(v)] || []).push(v);
        });
      }
      return facet.byFolded[folded] || { part: folded };
    }
    if (facet.deflt) { return value === "" ? facet.deflt.values : value === "all" ? null : value; }
    return value || null;
  };

  /* "Copy link" and "CSV of this view": the address of what the reader sees, and its rows as a file. */
  Controls.prototype.viewButtons = function (bar) {
    var self = this;
    var copy = el("button", "kd-copy-link", _("Copy link"));
    copy.type = "button";
    var said = el("span", "kd-copied");
    said.setAttribute("role", "status");
    copy.addEventListener("click", function () {
      self.rememberNow();
      var url = window.location.href;
      var done = function () { said.textContent = _("Link copied."); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(url).then(done, function () { said.textContent = url; });
      } else {
        said.textContent = url; // no clipboard here (an http address): the link, to select and copy
      }
    });
    var csv = el("button", "kd-csv", _("CSV of this view"));
    csv.type = "button";
    csv.addEventListener("click", function () { self.downloadCsv(); });
    bar.appendChild(copy);
    bar.appendChild(csv);
    bar.appendChild(said);
  };

  /* One CSV cell: quoted, on one line, and never a formula in a spreadsheet (as kamdocs' own CSV,
     escaping.csv_cell: an apostrophe before text whose first visible character starts a formula). */
  function csvCell(text) {
    var value = String(text);
    var visible = value.replace(/^[\s\p{Cc}\p{Cf}\p{Z}\p{Cn}\p{Co}\p{Cs}]+/u, "").charAt(0).normalize("NFKC").charAt(0);
    if (/^[\t\r]/.test(value) || "=+-@\u2212".indexOf(visible) !== -1 && visible !== "") { value = "'" + value; }
    value = value.replace(/[\r\n\t]+/g, " ");
    return '"' + value.replace(/"/g, '""') + '"';
  }

  /* The rows the reader sees (every one that matches, not only those rendered), in their order, with
     every column of the grid, the hidden ones too (business area and owner of a commitment); once the
     rows are there (a page's rows file may still be on its way). */
  Controls.prototype.downloadCsv = function () {
    var self = this;
    withRows(this.grids, function () { self.writeCsv(); });
  };
  Controls.prototype.writeCsv = function () {
    var keys = [];
    var titles = dict();
    this.grids.forEach(function (g) {
      g.cols.forEach(function (c) { if (!titles[c.k]) { titles[c.k] = c.t; keys.push(c.k); } });
    });
    var lines = [keys.map(function (k) { return csvCell(titles[k]); }).join(",")];
    this.grids.forEach(function (g) {
      var rows = g.data();
      g.view().forEach(function (n) {
        lines.push(keys.map(function (k) {
          var i = g.position[k];
          if (i === undefined) { return csvCell(""); }
          var rule = g.kinds[g.cols[i].kind];
          // A list cell (a person's accounts, one per plan) keeps its items apart: "Customer 1 AG; Customer 2 AG".
          return csvCell(rule.items === undefined ? cellText(rule, rows[n][i]) : rows[n][i][rule.items].map(function (item) {
            return cellText(rule.item, item);
          }).join("; "));
        }).join(","));
      });
    });
    var blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
    var link = el("a");
    link.href = URL.createObjectURL(blob);
    var page = window.location.pathname.replace(/\/(index\.html)?$/, "").split("/").pop() || "plans";
    link.download = page + "-view.csv";
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
  };

  /* The page's contents list (Material's table of contents) names only the sections the filter left. */
  Controls.prototype.followContents = function () {
    this.grids.forEach(function (g) {
      var heading = g.section && g.section.querySelector("[id]");
      if (!heading) { return; }
      document.querySelectorAll('a[href="#' + CSS.escape(heading.id) + '"]').forEach(function (a) {
        var item = a.closest("li");
        if (item && !g.section.contains(item)) { item.hidden = g.section.hidden; }
      });
    });
  };

  /* When nothing matches on the whole page, it says so, with what the reader asked for. */
  Controls.prototype.sayNoMatch = function () {
    var count = this.grids.reduce(function (sum, g) { return sum + g.view().length; }, 0);
    this.noMatch.hidden = count > 0;
    if (count > 0) { return; }
    var self = this;
    var asked = [];
    // TRANSLATORS: the text the reader typed into the filter, in the language's quotation marks.
    if (this.input.value.trim()) { asked.push(format(_("“{text}”"), { text: this.input.value.trim() })); }
    // A selector's name is lower case in running text, but in German, whose nouns keep their capital.
    var lower = LANGUAGE !== "de";
    this.facets.forEach(function (facet) {
      var control = self.selects[facet.name];
      var value = control.value.trim();
      if (!value || value === "all") { return; }
      // TRANSLATORS: a selector the reader set, in "No plan matches …": its name, then its value (status overdue).
      asked.push(format(_("{facet} {value}"), {
        facet: lower ? facet.title.toLowerCase() : facet.title, value: facet.labels[value] || value
      }));
    });
    this.noMatch.textContent = asked.length ? say(this.grids[0], "nothing", 0, { asked: asked.join(", ") })
      : say(this.grids[0], "unasked", 0, {});
  };

  Controls.prototype.read = function () {
    var params = new URLSearchParams(window.location.search);
    var self = this;
    var changed = false;
    if (params.get("q")) { this.input.value = params.get("q"); changed = true; }
    Object.keys(this.selects).forEach(function (name) {
      var value = params.get(name);
      if (value === null) { return; }
      var select = self.selects[name];
      if (select.tagName === "SELECT" && !Array.prototype.some.call(select.options, function (o) { return o.value === value; })) {
        // A value no row has (a link from an older build): keep it, so the view says "no match".
        var option = el("option", "", value + " (0)");
        option.value = value;
        select.appendChild(option);
      }
      select.value = value;
      changed = true;
    });
    var sort = params.get("sort");
    // Only a sort the page offers: any other (an old link, a typo, "constructor") is left out of the view.
    if (sort && this.sorts[sort] === true) { this.sort = sort; changed = true; }
    if (changed) { this.apply(false, true); }
    if (params.get("q")) {
      // Material may open its search box before or after this runs; settle it both ways.
      var settle = function () { if (closeSiteSearch()) { self.apply(true); } };
      settle();
      window.setTimeout(settle, 0);
      window.addEventListener("load", settle);
    }
  };

  Controls.prototype.apply = function (remember, resort) {
    var me = this;
    if (!this.grids.every(function (g) { return g.rows; })) { // once, when the rows come, for every change meanwhile
      this.later = { remember: remember || (this.later && this.later.remember), resort: resort || (this.later && this.later.resort) };
      if (!this.waiting) {
        this.waiting = true;
        // The rows, then their filter texts in slices (not in one task when the filter runs), then the filter.
        var failed = function () { me.waiting = false; };
        withRows(this.grids, function () {
          inTurn(textJobs(me.grids), function (next) { next(); }, function () {
            me.waiting = false;
            me.apply(me.later.remember, me.later.resort);
          }, failed);
        }, failed);
      }
      return;
    }
    this.sortSelect.value = this.sort || "";
    var words = fold(this.input.value).split(/\s+/).filter(Boolean);
    var facets = dict();
    var self = this;
    Object.keys(this.selects).forEach(function (k) {
      var wanted = self.wanted(k);
      if (wanted !== null) { facets[k] = wanted; }
    });
    var sort = this.sort;
    // The page's first view: no text, and no selector but at its default (grid.FacetDefault).
    var atDefault = !words.length && Object.keys(facets).every(function (k) { return self.selects[k].value === ""; });
    var budget = { rows: firstRows() };
    this.grids.forEach(function (g) {
      if (resort && sort) { g.sortBy(sort.replace(/^-/, ""), sort.charAt(0) !== "-"); }
      g.atDefault = atDefault;
      g.filter(words, facets);
      g.render(budget);
    });
    this.sayNoMatch();
    this.followContents();
    window.clearTimeout(this.remembering);
    this.remembering = null;
    if (remember === TYPING) {
      // The address follows the typing when it pauses: writing it costs a keystroke tens of
      // milliseconds on a big page. Copy link and leaving the page write it at once.
      this.remembering = window.setTimeout(function () { me.rememberNow(); }, TYPING_PAUSE_MS);
    } else if (remember) {
      // A selector or a sort: the address follows once the page has shown the result and the browser
      // is idle (about 5 ms of a sort on a slow phone that the reader need not wait for).
      var token = this.remembering = {};
      whenIdle(function () { if (me.remembering === token) { me.rememberNow(); } });
    }
  };

  /* The address apply() has not written yet (after a pause in the typing, or in idle time), now:
     Copy link, leaving the page. */
  Controls.prototype.rememberNow = function () {
    if (!this.remembering) { return; }
    window.clearTimeout(this.remembering); // a timer while typing; nothing for a selector's token
    this.remembering = null;
    this.remember();
  };

  Controls.prototype.remember = function () {
    // Other keys of the query (the fiscal year, ?fy=) stay as they are.
    var params = new URLSearchParams(window.location.search);
    var selects = this.selects;
    ["q", "sort"].concat(Object.keys(selects)).forEach(function (k) { params.delete(k); });
    if (this.input.value.trim()) { params.set("q", this.input.value.trim()); }
    // A selector's value as the reader chose it ("" is the page's first view, not in the URL).
    Object.keys(selects).forEach(function (k) { if (selects[k].value.trim()) { params.set(k, selects[k].value.trim()); } });
    if (this.sort) { params.set("sort", this.sort); }
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "") + window.location.hash;
    window.history.replaceState(window.history.state, "", url);
  };

  /* Material opens its own search box when the URL has ?q=; on a page with a
     filter bar, q is the filter's text, so that box is closed again. */
  function closeSiteSearch() {
    var toggle = document.getElementById("__search");
    var query = document.querySelector("[data-md-component=search-query]");
    if (query) { query.value = ""; }
    if (toggle && toggle.checked) {
      toggle.checked = false;
      toggle.dispatchEvent(new Event("change"));
      return true; // Material took q out of the URL as it closed; the caller puts the filter back
    }
    return false;
  }

  /* The reader's fiscal year: every year's figures are in the page (div[data-kd-fy]), the current
     one shown; the switch shows the year named by ?fy= and keeps the choice in the URL, as the
     filters do, so that a link or a reload shows the same year. */
  function showYear(key) {
    var sections = document.querySelectorAll("[data-kd-fy]");
    if (!Array.prototype.some.call(sections, function (s) { return s.getAttribute("data-kd-fy") === key; })) {
      return false;
    }
    sections.forEach(function (s) { s.hidden = s.getAttribute("data-kd-fy") !== key; });
    return true;
  }

  function fiscalYears() {
    var switches = document.querySelectorAll("[data-kd-fy-switch]");
    if (!switches.length || switches[0].getAttribute("data-kd-ready")) { return; }
    var wanted = new URLSearchParams(window.location.search).get("fy");
    var shown = wanted !== null && showYear(wanted);
    switches.forEach(function (place) {
      place.setAttribute("data-kd-ready", "1");
      place.hidden = false;
      var select = place.querySelector("select");
      if (shown) { select.value = wanted; }
      select.addEventListener("change", function () {
        showYear(select.value);
        var params = new URLSearchParams(window.location.search);
        params.set("fy", select.value);
        var url = window.location.pathname + "?" + params.toString() + window.location.hash;
        window.history.replaceState(window.history.state, "", url);
      });
    });
  }

  /* ---- print ---- */

  /* The line a printed page starts with: where it came from and when, so a sheet on a meeting table can
     be traced to its page and its day. Shown by the print stylesheet only. */
  /* A day as the site's pages write it: 2027-12-31 on English pages, else as the site's locale writes a
     date in running text (CLDR's medium form, as the server's i18n.day: 31.12.2027 in de-CH). */
  function shownDay(day) {
    if (ISO_DATES) {
      return day.getFullYear() + "-" + String(day.getMonth() + 1).padStart(2, "0") + "-" +
        String(day.getDate()).padStart(2, "0");
    }
    return new Intl.DateTimeFormat(LANG, { dateStyle: "medium" }).format(day);
  }

  function printSource() {
    var article = document.querySelector("article.md-content__inner, article");
    if (!article || article.querySelector(".kd-print-source")) { return; }
    var line = el("p", "kd-print-source");
    var asOf = document.querySelector("[data-kd-as-of]");
    var values = { day: shownDay(new Date()), address: window.location.href };
    if (asOf) {
      var iso = asOf.getAttribute("data-kd-as-of");
      var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
      values.asOf = parts ? shownDay(new Date(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3]))) : iso;
    }
    line.textContent = asOf ? format(_("Printed on {day} from {address}; figures as of {asOf}"), values)
      : format(_("Printed on {day} from {address}"), values);
    article.insertBefore(line, article.firstChild);
  }

  function run() {
    printSource();
    fiscalYears();
    document.querySelectorAll("table[data-kd-sortable]").forEach(enhanceStatic);
    var roots = Array.prototype.filter.call(document.querySelectorAll("[data-kd-grid]"), function (root) {
      if (root.getAttribute("data-kd-ready")) { return false; }
      root.setAttribute("data-kd-ready", "1");
      return true;
    });
    if (roots.length) {
      var step = roots.length > 1 ? GROUP_STEP : STEP;
      var grids = roots.map(function (root) { return new Grid(root, step); });
      new Controls(grids);
      if (window.performance && performance.mark) { performance.mark("kamdocs:grids-ready"); }
      // While the reader looks at the page, make each grid's filter texts, then each column's sort
      // order, a slice at a time, so that a first filter or sort only renders.
      var idle = window.requestIdleCallback || function (f) { return window.setTimeout(f, 1); };
      var mark = function (name) {
        return function () {
          if (window.performance && performance.mark) { performance.mark(name); }
          return true;
        };
      };
      var jobs = textJobs(grids);
      jobs.push(mark("kamdocs:data-ready"));
      grids.forEach(function (g) {
        g.shown.forEach(function (c) { jobs.push(function (until) { return g.prepareOrder(c.k, until); }); });
      });
      jobs.push(mark("kamdocs:prepared"));
      var nothing = function () {};
      // The rows come when the reader reaches for them (points at or focuses the filter bar or a
      // table, or filters, sorts or scrolls: see apply and renderMore); then the rest is prepared.
      var started = false;
      var reaching = ["pointerover", "focusin", "touchstart"];
      var start = function () {
        if (started) { return; }
        started = true;
        reaching.forEach(function (type) { document.removeEventListener(type, reach); });
        withRows(grids, function () { idle(function () { inTurn(jobs, idle, nothing, nothing); }); });
      };
      var reach = function (event) {
        if (event.target.closest && event.target.closest(".kd-controls, [data-kd-grid]")) { start(); }
      };
      reaching.forEach(function (type) { document.addEventListener(type, reach, { passive: true }); });
      // Rows in the page are read in idle time at once, as are any a view in the URL asked for.
      var inPage = !roots[0].querySelector("script.kd-grid-data[data-kd-rows]");
      grids.forEach(function (g) { g.loaded = start; });
      if (inPage || grids.some(function (g) { return g.loading; })) { idle(start); }
    }
  }
  // The script comes after the content (extra_javascript), so the tables are there already: run now,
  // not at DOMContentLoaded, and again then in case a theme loads it earlier.
  run();
  document.addEventListener("DOMContentLoaded", run); // i18n: machine
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(run); }
})();
