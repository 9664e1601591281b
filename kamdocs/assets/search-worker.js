// kamdocs' search worker for Material: page titles at once, Material's own search once it is ready.
//
// Material's worker builds one lunr index over the whole search index before it answers a
// query: at 10,000 plans that took 5 to 8 s in Chromium, and a search for an account name
// waited for it. The page starts this worker instead (the plugin points Material's "search"
// setting here), with Material's worker's address in ?material=. It speaks Material's worker
// protocol (integrations/search/worker/message: SETUP, READY, QUERY, RESULT):
//
// - on SETUP it lists the pages' titles (a plan page's title is its account), says READY, and
//   starts Material's worker as a nested worker with the same SETUP;
// - every query is answered at once from the titles that hold every term typed (as a word or a
//   word's beginning), the best TITLES of them, in Material's result format (the titles are the
//   index's own HTML, which Material shows as HTML and has escaped already; a match is wrapped
//   in <mark> as Material does, whole words only, so an entity is never cut). TITLES, because
//   the page takes time to receive and list each page: at 10,000 plans, 10,000 titles share
//   "Customer", and answering every keystroke with all of them slowed typing to 1-2 s;
// - once Material's worker is READY, every query goes to it too, and its answer replaces the
//   titles' (the last query is asked again then, so words only in a page's text are found
//   without typing again). At most one query waits in Material's worker: one typed while it
//   is busy replaces the one waiting, and an answer to a query since replaced is dropped, so
//   the list never falls behind the box by a queue of keystrokes.
//
// Where nested workers do not exist, this worker becomes Material's own (importScripts), as the
// page would have had without kamdocs.
"use strict"; // i18n: machine

const SETUP = 0; // Material's SearchMessageType, in its order
const READY = 1;
const QUERY = 2;
const RESULT = 3;
const FIELD = /^(?:title|text|tags):/; // lunr's query syntax around a term: a field, wildcards, fuzziness, boosts
const MODIFIERS = /[*~^]\d*/g;
const TITLES = 100; // the most pages the titles' answer lists

const material = materialWorker();

function materialWorker() {
  // Only a script of this site, and not this one, may run here: ?material= is resolved against this
  // script's address.
  const named = new URL(self.location.href).searchParams.get("material");
  const url = new URL(named || "", self.location.href);
  if (!named || url.origin !== self.location.origin || url.pathname === self.location.pathname) {
    throw new Error(`kamdocs search: ?material= must name Material's worker on this site, not ${named}`);
  }
  return url.href;
}

const state = {
  pages: [], // {location, title, words: [{word, start, end}]}, one per page, in the index's order
  separator: /[\s-]+/,
  suggest: false,
  full: null, // Material's worker
  fullReady: false,
  latest: null, // the last query typed
  asked: null, // the query Material's worker is working on
  waiting: null, // the query it gets next
  answering: false, // an answer to the last query is on its way
  delegated: false, // Material's worker runs in this one (inThisWorker)
  ready: false, // the titles are listed (setUp)
};

// The words of an HTML title with their places, skipping markup, as Material's tokenizer reads it.
function titleWords(title, separator) {
  const words = [];
  const text = /<[^>]*>|[^<]+|</g;
  for (let part = text.exec(title); part; part = text.exec(title)) {
    if (part[0][0] === "<" && part[0].length > 1) continue;
    const split = new RegExp(separator.source, "g");
    let start = 0;
    for (let gap = split.exec(part[0]); ; gap = split.exec(part[0])) {
      const end = gap ? gap.index : part[0].length;
      if (end > start) {
        const at = part.index + start;
        words.push({ word: part[0].slice(start, end).toLowerCase(), start: at, end: part.index + end });
      }
      if (!gap) break;
      start = gap.index + gap[0].length;
      if (gap[0].length === 0) split.lastIndex++;
    }
  }
  return words;
}

// A page is the first entry of its address; the entries after it with an #anchor are its sections.
function titlesOf(docs, separator) {
  const seen = new Set();
  const pages = [];
  for (const doc of docs) {
    const path = doc.location.split("#")[0];
    if (seen.has(path)) continue;
    seen.add(path);
    pages.push({ location: doc.location, title: doc.title, words: titleWords(doc.title, separator) });
  }
  return pages;
}

// The terms of a query as Material's tokenizer splits them; "-" before one: titles without it.
function termsOf(query, separator) {
  const terms = [];
  for (const part of query.replace(/"/g, " ").trim().split(/\s+/)) {
    const without = part[0] === "-";
    const bare = part.replace(/^[+-]/, "").replace(FIELD, "").replace(MODIFIERS, "");
    for (const word of bare.toLowerCase().split(separator)) {
      if (word && !terms.some((t) => t.word === word)) terms.push({ word, without });
    }
  }
  return terms;
}

// How well a page's title matches every term, each the beginning of one of its words (a whole
// word counts twice, a shorter title a little more); null when a term is missing. Matched words
// are flagged in `marks`. Every term, not any as lunr's: the titles narrow down as one types, and
// the answer to an account's name stays a few pages, not every title that shares one word of it.
function scored(page, terms, marks) {
  let score = 0;
  for (const term of terms) {
    let hit = 0;
    page.words.forEach((w, i) => {
      if (w.word.startsWith(term.word)) {
        hit = Math.max(hit, w.word === term.word ? 2 : 1);
        marks[i] = true;
      }
    });
    if (term.without ? hit : !hit) return null;
    score += hit;
  }
  return score > 0 ? score + 1 / (1 + page.words.length) : null;
}

// The title with each matched word in <mark>: whole words of the title's text, never inside markup.
function marked(page, marks) {
  let out = "";
  let at = 0;
  page.words.forEach((w, i) => {
    if (!marks[i]) return;
    out += `${page.title.slice(at, w.start)}<mark>${page.title.slice(w.start, w.end)}</mark>`;
    at = w.end;
  });
  return out + page.title.slice(at);
}

// Material's SearchResult: a list per page, its article first, with the query's terms (all found).
function titleResult(query) {
  const terms = termsOf(query, state.separator);
  const asked = terms.filter((t) => !t.without);
  const hits = [];
  state.pages.forEach((page, order) => {
    const marks = [];
    const score = scored(page, terms, marks);
    if (score !== null) hits.push({ page, order, score, marks });
  });
  hits.sort((a, b) => b.score - a.score || a.order - b.order);
  const found = Object.fromEntries(asked.map((t) => [t.word, true])); // one object, which the message carries once
  const items = hits.slice(0, TITLES).map(({ page, score, marks }) => [
    { location: page.location, title: marked(page, marks), text: "", score, terms: found },
  ]);
  const result = { items };
  if (state.suggest) result.suggest = suggestion(hits[0], asked);
  return result;
}

// What Material suggests: the words of the best title, one per term.
function suggestion(best, asked) {
  const words = best ? best.page.words.filter((w, i) => best.marks[i]).map((w) => w.word) : [];
  const picked = asked.map((t) => words.find((w) => w.startsWith(t.word)));
  return picked.every(Boolean) ? picked : [];
}

function ask(query) {
  if (state.asked !== null) {
    state.waiting = query;
    return;
  }
  state.asked = query;
  state.full.postMessage({ type: QUERY, data: query });
}

function fromMaterial(message) {
  if (message.type === READY) {
    state.fullReady = true;
    if (state.latest) ask(state.latest);
    return;
  }
  if (message.type !== RESULT) return;
  const answered = state.asked;
  state.asked = null;
  if (state.waiting !== null) {
    const next = state.waiting;
    state.waiting = null;
    ask(next);
  } else if (answered === state.latest) {
    postMessage({ type: RESULT, data: titlesFirst(message.data, answered) });
  }
}

// Material's answer with the pages whose title holds every term as a whole word first, as the
// titles' answer had them: lunr scores "Customer 14" and "Customer 146" alike for "Customer 14"
// (both words match 14*), so the account typed could fall below others that begin with it. The
// scores of a page moved up are all raised by one amount, above those of every page after it, so
// Enter (Material's best score) opens the first page shown and a page's sections keep their order.
function titlesFirst(result, query) {
  const asked = termsOf(query, state.separator).filter((t) => !t.without);
  if (!asked.length || !result.items.length) return result;
  const rank = new Map();
  state.pages
    .map((page, order) => ({ page, order }))
    .filter(({ page }) => asked.every((t) => page.words.some((w) => w.word === t.word)))
    .sort((a, b) => a.page.words.length - b.page.words.length || a.order - b.order)
    .forEach(({ page }, i) => rank.set(page.location, i));
  const pageOf = (group) => rank.get(group[0].location.split("#")[0]);
  const first = result.items.filter((group) => pageOf(group) !== undefined);
  if (!first.length) return result;
  first.sort((a, b) => pageOf(a) - pageOf(b));
  // From the last page moved up to the first, each page's scores all above the one after it.
  const scores = (group) => group.map((item) => item.score);
  let floor = result.items.reduce((most, group) => Math.max(most, ...scores(group)), -Infinity);
  for (const group of [...first].reverse()) {
    const raise = floor - Math.min(...scores(group)) + 1;
    for (const item of group) item.score += raise;
    floor = Math.max(...scores(group));
  }
  return { ...result, items: [...first, ...result.items.filter((group) => pageOf(group) === undefined)] };
}

function setUp(message) {
  const { config, docs, options } = message.data;
  state.separator = new RegExp(config.separator);
  state.suggest = Boolean(options && options.suggest);
  state.pages = titlesOf(docs, state.separator);
  state.ready = true;
  postMessage({ type: READY });
  if (state.latest !== null) query(state.latest); // typed while the index was on its way
  try {
    state.full = new Worker(material);
  } catch (error) {
    console.warn("kamdocs search: Material's worker runs here instead, as it would without kamdocs", error); // i18n: machine (the browser console's)
    inThisWorker(message);
    return;
  }
  state.full.addEventListener("message", (event) => fromMaterial(event.data));
  state.full.addEventListener("error", (event) => console.warn("kamdocs search: Material's worker failed", event.message)); // i18n: machine
  state.full.postMessage(message);
}

// Material's worker in this one, where no nested worker can start: its own message listener answers
// from now on, beginning with this SETUP (its languages' scripts are looked for beside this script,
// so only English is sure to work this way).
function inThisWorker(message) {
  state.delegated = true;
  importScripts(material);
  dispatchEvent(new MessageEvent("message", { data: message }));
  if (state.latest !== null) dispatchEvent(new MessageEvent("message", { data: { type: QUERY, data: state.latest } }));
}

// Queries typed faster than they are answered are answered once, the last one: the answer waits
// for the messages already here (a timer's task comes after them).
function query(text) {
  state.latest = text;
  if (!state.ready || state.answering) return;
  state.answering = true;
  setTimeout(answer, 0);
}

function answer() {
  state.answering = false;
  const text = state.latest;
  if (!text.trim()) {
    state.waiting = null;
    postMessage({ type: RESULT, data: { items: [] } });
    return;
  }
  const titles = titleResult(text);
  if (!state.fullReady || titles.items.length) postMessage({ type: RESULT, data: titles });
  if (state.fullReady) ask(text);
}

// The whole index. Where kamdocs split Material's (site/search_worker.split_index), the page hands over
// a small index whose config names the whole one's file beside it, and this worker fetches that
// itself: 16 MB at 10,000 plans, which the page no longer fetches and parses on every visit.
function withWholeIndex(message, then) {
  const name = message.data.config && message.data.config.kamdocs_full_index;
  if (name === undefined) {
    then(message);
    return;
  }
  if (typeof name !== "string" || !/^[\w.-]+\.json$/.test(name)) {
    console.warn("kamdocs search: the search index names no file of its own", name); // i18n: machine
    return;
  }
  const url = new URL(`../../search/${name}`, self.location.href); // this script is in assets/kamdocs/
  fetch(url)
    .then((response) => {
      if (!response.ok) throw new Error(`${url}: ${response.status}`);
      return response.json();
    })
    .then((whole) => then({ ...message, data: { ...message.data, config: whole.config, docs: whole.docs } }))
    .catch((error) => console.warn("kamdocs search: the search index could not be loaded", error)); // i18n: machine
}

addEventListener("message", (event) => {
  if (state.delegated) return;
  if (event.data.type === SETUP) withWholeIndex(event.data, typeof Worker === "undefined" ? inThisWorker : setUp);
  else if (event.data.type === QUERY) query(event.data.data);
});
