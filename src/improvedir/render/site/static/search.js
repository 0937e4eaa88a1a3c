/* improvedir search, ported line by line from src/improvedir/engine/search.py.
 *
 * The index is the one `improvedir search` uses, written at build time by
 * engine/browser_index.py into search-index.js. Keep this file in step with search.py:
 * tests/test_site_search.py runs the repository's query sets through both.
 * Runs in a browser (window.ImprovedirSearch) and in node (module.exports).
 */
(function (root) {
  "use strict";

  var TOKEN = /[a-z0-9]+(?:&[a-z0-9]+)*/g;
  var LETTER_DIGIT = /(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])/g;
  var NUMBERS = "zero one two three four five six seven eight nine ten eleven twelve".split(" ");
  var PERCENTAGE = new RegExp(
    "\\b(?:[0-9]+(?:\\.[0-9]+)?|" + NUMBERS.join("|") + ")\\s*(?:%|per ?cent\\b)", "g"
  );
  var NEGATION = /\b(do|does|did|is|are|was|were|has|have|had|could|would|should|must|ca|wo|can)(?:n'?t|not)\b/g;
  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  function replaceAll(text, from, to) {
    return text.split(from).join(to);
  }

  function endsWith(word, suffix) {
    return word.length >= suffix.length && word.slice(-suffix.length) === suffix;
  }

  // search.stem: plurals, -ing and -ed, a trailing e; never below four letters.
  function stem(word) {
    if (word.length > 4 && endsWith(word, "ies")) {
      word = word.slice(0, -3) + "y";
    } else if (
      word.length > 3 &&
      endsWith(word, "s") &&
      !(endsWith(word, "ss") || endsWith(word, "us") || endsWith(word, "is"))
    ) {
      word = word.slice(0, -1);
    }
    var suffixes = ["ing", "ed"];
    for (var i = 0; i < suffixes.length; i++) {
      if (endsWith(word, suffixes[i]) && word.length - suffixes[i].length >= 4) {
        word = word.slice(0, -suffixes[i].length);
        break;
      }
    }
    if (word.length > 4 && endsWith(word, "e")) word = word.slice(0, -1);
    return word;
  }

  // search._lowered: 'A and E' and 'A & E' are 'a&e'; 'cat2' is 'cat 2'; "can't" and
  // "cant" are "ca not".
  function lowered(text) {
    var out = text.toLowerCase();
    out = replaceAll(out, "\u2019", "'");
    out = replaceAll(out, "'s ", " ");
    out = replaceAll(out, " & ", "&");
    out = replaceAll(out, "a and e", "a&e");
    out = out.replace(NEGATION, "$1 not");
    // a percentage says how much, never of what: "78%" is "percent"
    out = out.replace(PERCENTAGE, " percent ");
    return out.replace(LETTER_DIGIT, " ");
  }

  // search._words: "4hr" and "4 h" are "4 hour"
  function words(text) {
    var found = lowered(text).match(TOKEN) || [];
    if (found.indexOf("hr") >= 0 || found.indexOf("h") >= 0) {
      found = found.map(function (w, i) {
        var before = found[i - 1];
        var number = i && (/^[0-9]+$/.test(before) || NUMBERS.indexOf(before) >= 0);
        return (w === "hr" || w === "h") && number ? "hour" : w;
      });
    }
    return found;
  }

  // The stem of a word, shorthand read as the word it stands for (search.tokens' memo).
  function fullStem(shorthand, word) {
    return stem((shorthand && shorthand.get(word)) || word);
  }

  // search.tokens and search.raw_tokens, for a given set of stopwords and shorthand
  // (a Map of word -> the word it stands for).
  function makeTokens(stopwords, shorthand) {
    return function tokens(text) {
      return words(text)
        .filter(function (w) { return !stopwords.has(w); })
        .map(function (w) { return fullStem(shorthand, w); });
    };
  }

  function makeRawTokens(stopwords, shorthand) {
    return function rawTokens(text) {
      return words(text)
        .filter(function (w) { return !stopwords.has(w); })
        .map(function (w) { return [w, fullStem(shorthand, w)]; });
    };
  }

  // rapidfuzz.distance.OSA: optimal string alignment, where a swapped pair of neighbouring
  // letters is one edit (and no part of the text is edited twice).
  function osa(a, b) {
    var n = a.length;
    var m = b.length;
    if (!n) return m;
    if (!m) return n;
    var before = null;
    var previous = new Array(m + 1);
    var current = new Array(m + 1);
    for (var j = 0; j <= m; j++) previous[j] = j;
    for (var i = 1; i <= n; i++) {
      current[0] = i;
      for (j = 1; j <= m; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var best = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          best = Math.min(best, before[j - 2] + 1);
        }
        current[j] = best;
      }
      before = previous.slice();
      var swap = previous;
      previous = current;
      current = swap;
    }
    return previous[m];
  }

  // browser_index.front_coded: each word as a capital (letters shared with the word
  // before: A none, B one, ...) and the rest of it.
  function frontDecoded(text) {
    var out = [];
    var previous = "";
    var i = 0;
    while (i < text.length) {
      var same = text.charCodeAt(i) - 65;
      var j = i + 1;
      while (j < text.length && (text.charCodeAt(j) < 65 || text.charCodeAt(j) > 90)) j++;
      previous = previous.slice(0, same) + text.slice(i + 1, j);
      out.push(previous);
      i = j;
    }
    return out;
  }

  // Postings as browser_index.py wrote them: term -> Map(tactic number -> [weight, how]).
  function decodePostings(data) {
    var raw = new Map();
    var terms = frontDecoded(data.terms);
    var coded = data.mode === "exact" ? data.rows : data.codes.split(" ");
    for (var i = 0; i < terms.length; i++) raw.set(terms[i], coded[i]);
    var cache = new Map();
    var EMPTY = new Map();
    function get(term) {
      if (cache.has(term)) return cache.get(term);
      var coded = raw.get(term);
      if (coded === undefined) return EMPTY;
      var out = new Map();
      if (data.mode === "exact") {
        for (var r = 0; r < coded.length; r++) out.set(coded[r][0], [coded[r][1], coded[r][2]]);
      } else {
        var numbers = [];
        var value = 0;
        var shift = 0;
        for (var c = 0; c < coded.length; c++) {
          var digit = ALPHABET.indexOf(coded[c]);
          value += (digit & 31) * Math.pow(2, shift);
          if (digit >= 32) {
            shift += 5;
          } else {
            numbers.push(value);
            value = 0;
            shift = 0;
          }
        }
        var idf = data.idf[String(numbers.length / 2)];
        var previous = -1;
        for (var k = 0; k < numbers.length; k += 2) {
          var number = previous + 1 + Math.floor(numbers[k] / 3);
          var how = numbers[k] % 3;
          var tf = numbers[k + 1] * data.tfUnit;
          // The same expression, with the same numbers, as search.py's Index.__init__.
          out.set(number, [(idf * tf) / (tf + data.norm[number]), how]);
          previous = number;
        }
      }
      cache.set(term, out);
      return out;
    }
    return {
      has: function (term) { return raw.has(term); },
      get: get,
    };
  }

  function Index(data) {
    var self = this;
    this.data = data;
    this.stopwords = new Set(data.stopwords);
    this.generic = new Set(data.generic);
    this.phraseOnly = new Set(data.phraseOnly);
    this.shorthand = new Map(Object.entries(data.shorthand || {}));
    this.tokens = makeTokens(this.stopwords, this.shorthand);
    this.rawTokens = makeRawTokens(this.stopwords, this.shorthand);
    this.postings = decodePostings(data);
    this.DESCRIBED = data.how.described;
    this.MENTIONED = data.how.mentioned;
    // Index.vocabulary(): the directory's words as written (four letters or more) -> stem
    this.vocabulary = new Map();
    frontDecoded(data.vocabulary).forEach(function (word) {
      self.vocabulary.set(word, fullStem(self.shorthand, word));
    });
    this.english = new Set(frontDecoded(data.english));
    // is_common_english, for the words the directory lacks
    this.common = new Set(frontDecoded(data.common));
    this.named = [];
    data.named.forEach(function (entry) {
      entry[2].forEach(function (phrase) {
        self.named.push([phrase.split(" "), entry[0], entry[1]]);
      });
    });
    this.namedPhrases = new Set(this.named.map(function (entry) { return entry[0].join(" "); }));
    // Index.name_words: "kind id" -> the words of every name of that area or measure
    this.nameWords = new Map();
    this.named.forEach(function (entry) {
      if (entry[1] === "topic") return;
      var key = entry[1] + " " + entry[2];
      if (!self.nameWords.has(key)) self.nameWords.set(key, new Set());
      entry[0].forEach(function (w) { self.nameWords.get(key).add(w); });
    });
    // Index.topic_terms: area id -> [topic as written, the topic as one term]
    this.topicTerms = new Map();
    Object.keys(data.topics || {}).forEach(function (areaId) {
      self.topicTerms.set(areaId, data.topics[areaId].map(function (text) {
        return [text, self.tokens(text).join(" ")];
      }));
    });
    // Index.topic_words: a topic the directory lacks ("PSIRF") is not a typo
    this.topicWords = new Set();
    this.named.forEach(function (entry) {
      if (entry[1] === "topic") entry[0].forEach(function (w) { self.topicWords.add(w); });
    });
    this.tactics = data.tactics;
  }

  Index.prototype.areaFamily = function (areaId) {
    return new Set(this.data.families[areaId] || [areaId]);
  };

  function maxEdits(word) {
    return word.length < 8 ? 1 : 2;
  }

  // Index._correct: the directory word `typed` stands for (as written), or null.
  Index.prototype.correct = function (typed, stemmed) {
    if (this.postings.has(stemmed)) return typed;
    if (this.topicWords.has(stemmed)) return null;
    if (typed.length < 4 || /[0-9]/.test(typed)) return null;
    var limit = maxEdits(typed);
    // fewest edits (a swapped pair of letters is one), then the word the directory uses
    // most, then the nearest length, then A-Z
    var self = this;
    var best = null;
    var bestKey = null;
    this.vocabulary.forEach(function (stemmedWord, word) {
      var apart = Math.abs(word.length - typed.length);
      if (apart > limit || word.length < 4) return;
      var edits = osa(typed, word);
      if (edits > limit) return;
      var uses = self.postings.get(stemmedWord).size;
      var key = [edits, -uses, apart];
      var better = best === null;
      for (var k = 0; !better && k < 3; k++) {
        if (key[k] !== bestKey[k]) {
          better = key[k] < bestKey[k];
          break;
        }
        if (k === 2) better = word < best;
      }
      if (better) {
        best = word;
        bestKey = key;
      }
    });
    // is_english_word: only the English words near the directory's are known here
    if (best === null || this.english.has(typed)) return null;
    return best;
  };

  function positions(words, phrase) {
    var out = [];
    for (var i = 0; i + phrase.length <= words.length; i++) {
      var same = true;
      for (var k = 0; k < phrase.length; k++) {
        if (words[i + k] !== phrase[k]) {
          same = false;
          break;
        }
      }
      if (same) out.push(i);
    }
    return out;
  }

  // Python's round(x, 4) for the scores shown and compared (no exact ties can occur).
  function round4(x) {
    return Number(x.toFixed(4));
  }

  function addAll(target, values) {
    values.forEach(function (v) { target.add(v); });
  }

  // search._subjects: things that the same words name, or whose areas overlap (unless
  // both are measures), are one subject; the given sets are copied, never changed.
  function subjectsOf(things) {
    var subjects = [];
    things.forEach(function (thing) {
      var joined = subjects.some(function (subject) {
        // two measures named by different words are two things asked, even in one area
        var sameWords = Array.from(thing.at).some(function (p) { return subject.at.has(p); });
        var sameAreas =
          Array.from(thing.family).some(function (a) { return subject.family.has(a); }) &&
          !(subject.moved.size && thing.moved.size);
        var overlaps = sameWords || sameAreas;
        if (!overlaps) return false;
        addAll(subject.family, thing.family);
        addAll(subject.moved, thing.moved);
        addAll(subject.at, thing.at);
        return true;
      });
      if (!joined) {
        subjects.push({
          family: new Set(thing.family), moved: new Set(thing.moved), at: new Set(thing.at),
        });
      }
    });
    return subjects;
  }

  // search._take_turns: the tactics of two things asked about at once take turns at the
  // top, each thing's in its own order.
  function takeTurns(kept, subjects) {
    if (subjects.length < 2) return kept;
    var queues = subjects.map(function () { return []; });
    var rest = [];
    kept.forEach(function (h) {
      if (h.tier !== 0) return;
      // the first subject whose measure it moves, else the first whose areas it serves
      for (var i = 0; i < subjects.length; i++) {
        var moving = subjects[i].moved;
        if (h.tactic.measures.some(function (m) { return moving.has(m); })) {
          queues[i].push(h);
          return;
        }
      }
      for (var j = 0; j < subjects.length; j++) {
        var family = subjects[j].family;
        if (h.tactic.areas.some(function (a) { return family.has(a); })) {
          queues[j].push(h);
          return;
        }
      }
      rest.push(h);
    });
    queues = queues.filter(function (q) { return q.length; });
    queues.sort(function (x, y) { return y[0].score - x[0].score; });
    var order = [];
    var longest = 0;
    queues.forEach(function (q) { longest = Math.max(longest, q.length); });
    for (var turn = 0; turn < longest; turn++) {
      queues.forEach(function (q) { if (turn < q.length) order.push(q[turn]); });
    }
    return order.concat(rest, kept.filter(function (h) { return h.tier !== 0; }));
  }

  Index.prototype.search = function (query, limit, area) {
    if (limit === undefined) limit = 10;
    var self = this;
    var result = {
      query: query,
      hits: [],
      corrections: {},
      areas: [],
      measures: [],
      unknown: [],
      weak: false,
      near: [],
      topics: [],
    };
    var words = [];
    var unknown = new Set();
    // everyday English words the directory never uses speak twice against a match
    var foreign = new Set();
    this.rawTokens(query).forEach(function (pair) {
      var typed = pair[0];
      var stemmed = pair[1];
      var corrected = self.correct(typed, stemmed);
      if (corrected === null) {
        if (result.unknown.indexOf(typed) < 0) result.unknown.push(typed);
        unknown.add(stemmed);
        if (self.common.has(typed) && !self.topicWords.has(stemmed)) foreign.add(stemmed);
        words.push(stemmed);
      } else if (corrected !== typed) {
        result.corrections[typed] = corrected;
        words.push(self.vocabulary.get(corrected));
      } else {
        words.push(stemmed);
      }
    });

    // Terms to look up: every known word, and every phrase the index holds.
    var found = new Map(); // term -> Map(number -> [weight, how]), in search.py's order
    var phraseAt = new Map(); // position -> phrases over it
    var spans = new Map(); // phrase -> [start, end] pairs, where it occurs
    for (var size = Math.min(this.data.maxPhrase, words.length); size > 1; size--) {
      for (var start = 0; start + size <= words.length; start++) {
        var phrase = words.slice(start, start + size).join(" ");
        if (!found.has(phrase)) {
          if (!this.postings.has(phrase)) continue;
          found.set(phrase, this.postings.get(phrase));
        }
        for (var q = start; q < start + size; q++) {
          if (!phraseAt.has(q)) phraseAt.set(q, []);
          phraseAt.get(q).push(phrase);
        }
        if (!spans.has(phrase)) spans.set(phrase, []);
        spans.get(phrase).push([start, start + size]);
      }
    }
    Array.from(new Set(words)).forEach(function (word) {
      if (!unknown.has(word) && !self.phraseOnly.has(word)) found.set(word, self.postings.get(word));
    });

    // What the query names: areas and measures, by their phrases (or a phrase's start).
    // A name inside a longer phrase that describes some tactic names nothing: the longer
    // phrase says what the query is about, and its tactics count as named (search.py).
    var described = [];
    spans.forEach(function (_, p) {
      if (self.namedPhrases.has(p)) return; // a name names, it never widens
      var rows = found.get(p);
      var any = false;
      rows.forEach(function (row) { if (row[1] === self.DESCRIBED) any = true; });
      if (any) described.push(p);
    });
    var namedAreas = new Map(); // named directly, then through a measure
    var namedMeasures = new Map();
    var namingCovered = new Set();
    var namingSpans = [];
    var namedAt = new Map(); // "area id" or "measure id" -> the positions that name it
    var widening = new Set();
    // A topic ("PSIRF") is a subject within an area: met only by a tactic that has it
    // whole, its area only near, and a name inside it names nothing (search.py).
    var occurrences = []; // [start, end, entry] for every name and topic the query holds
    this.named.forEach(function (entry) {
      positions(words, entry[0]).forEach(function (start) {
        occurrences.push([start, start + entry[0].length, entry]);
      });
    });
    var topics = new Map(); // "start:end" -> the topic as one term
    var topicAreas = new Map();
    occurrences.forEach(function (o) {
      if (o[2][1] !== "topic") return;
      topics.set(o[0] + ":" + o[1], o[2][0].join(" "));
      if (!topicAreas.has(o[2][2])) topicAreas.set(o[2][2], null);
    });
    var topicTerms = new Set(topics.values());
    topicAreas.forEach(function (_, areaId) {
      (self.topicTerms.get(areaId) || []).forEach(function (entry) {
        if (topicTerms.has(entry[1])) result.topics.push(entry[0]);
      });
    });
    var topicSpans = [];
    topics.forEach(function (term, key) {
      var ab = key.split(":").map(Number);
      topicSpans.push(ab);
      if (!found.has(term) && ab[1] - ab[0] > 1) found.set(term, self.postings.get(term));
    });
    // a name inside a longer name or topic names nothing itself (search.py)
    var outer = occurrences.map(function (o) { return [o[0], o[1]]; });
    occurrences.forEach(function (occurrence) {
      var start = occurrence[0];
      var end = occurrence[1];
      var entry = occurrence[2];
      if (entry[1] === "topic") return;
      var inside = outer.some(function (ab) {
        return ab[0] <= start && end <= ab[1] && ab[1] - ab[0] > end - start;
      });
      if (inside) return;
      for (var p = start; p < end; p++) namingCovered.add(p);
      namingSpans.push([start, end]);
      // only a phrase that adds a telling word widens: one neither generic nor a word of
      // another name of the same thing ("hot clinic", not "frail older people" or
      // "endoscopy waiting list")
      var wider = described.filter(function (d) {
        return spans.get(d).some(function (ab) {
          if (!(ab[0] <= start && end <= ab[1] && ab[1] - ab[0] > end - start)) return false;
          var extra = words.slice(ab[0], start).concat(words.slice(end, ab[1]));
          var own = self.nameWords.get(entry[1] + " " + entry[2]) || new Set();
          return !extra.every(function (w) { return self.generic.has(w) || own.has(w); });
        });
      });
      if (wider.length) {
        wider.forEach(function (d) { widening.add(d); });
      } else {
        var target = entry[1] === "area" ? namedAreas : namedMeasures;
        if (!target.has(entry[2])) target.set(entry[2], null);
        var key = entry[1] + " " + entry[2];
        if (!namedAt.has(key)) namedAt.set(key, new Set());
        for (var q = start; q < end; q++) namedAt.get(key).add(q);
      }
    });
    var direct = Array.from(namedAreas.keys());
    // each thing named, with the areas it is about, the measure (if it is one) and where
    // the query names it
    var things = direct.map(function (a) {
      return { family: self.areaFamily(a), moved: new Set(), at: namedAt.get("area " + a) };
    });
    namedMeasures.forEach(function (_, measureId) {
      var family = new Set();
      (self.data.measureAreas[measureId] || []).forEach(function (a) {
        if (!namedAreas.has(a)) namedAreas.set(a, null);
        addAll(family, self.areaFamily(a));
      });
      things.push({ family: family, moved: new Set([measureId]), at: namedAt.get("measure " + measureId) });
    });
    result.areas = Array.from(namedAreas.keys());
    result.measures = Array.from(namedMeasures.keys());
    result.near = Array.from(new Set(result.areas.concat(Array.from(topicAreas.keys()))));
    if (!found.size) return result;

    var intent = new Set(); // areas named directly, with the areas below them
    direct.forEach(function (a) { addAll(intent, self.areaFamily(a)); });
    var near = new Set(); // the areas of a named measure or topic
    result.near.forEach(function (a) { addAll(near, self.areaFamily(a)); });
    var allowed = area ? this.areaFamily(area) : null;
    var meaningful = [];
    // nor does a number the directory never uses, unless a phrase holds it
    var quiet = function (w) {
      return self.generic.has(w) || (unknown.has(w) && /^[0-9]+$/.test(w));
    };
    words.forEach(function (w, p) {
      // a lone letter or digit names nothing either
      if ((!quiet(w) && w.length > 1) || namingCovered.has(p) || phraseAt.has(p)) {
        meaningful.push(p);
      }
    });
    // A phrase is one thing asked about: units are the longest phrases (found or
    // naming), then each word left over; a unit has as many voices as telling words.
    var stretches = [];
    spans.forEach(function (pairs) { pairs.forEach(function (ab) { stretches.push(ab); }); });
    namingSpans.forEach(function (ab) { stretches.push(ab); });
    topicSpans.forEach(function (ab) { stretches.push(ab); });
    var seen = new Set();
    stretches = stretches.filter(function (ab) {
      var key = ab[0] + ":" + ab[1];
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    stretches.sort(function (x, y) {
      return (x[0] - x[1]) - (y[0] - y[1]) || x[0] - y[0];
    });
    var taken = new Set();
    var units = []; // {at: positions, topic: the topic term or null}
    stretches.forEach(function (ab) {
      for (var p = ab[0]; p < ab[1]; p++) if (taken.has(p)) return;
      var unit = [];
      for (var q = ab[0]; q < ab[1]; q++) { taken.add(q); unit.push(q); }
      units.push({ at: unit, topic: topics.get(ab[0] + ":" + ab[1]) || null });
    });
    words.forEach(function (_, p) {
      if (!taken.has(p)) units.push({ at: [p], topic: topics.get(p + ":" + (p + 1)) || null });
    });
    var meaningfulSet = new Set(meaningful);
    units = units
      .map(function (u) {
        return { at: u.at.filter(function (p) { return meaningfulSet.has(p); }), topic: u.topic };
      })
      .filter(function (u) { return u.at.length; })
      .sort(function (x, y) { return x.at[0] - y.at[0]; });
    var unitWeight = units.map(function (u) {
      var telling = 0;
      u.at.forEach(function (p) {
        if (quiet(words[p]) || words[p].length <= 1) return;
        telling += foreign.has(words[p]) ? self.data.foreignVoices : 1;
      });
      // a topic no tactic has speaks against a match as a foreign word does
      var rows = u.topic === null ? null : found.get(u.topic);
      var lacking = u.topic !== null && !(rows && rows.size);
      return Math.max(1, telling) * (lacking ? self.data.foreignVoices : 1);
    });
    var candidates = new Set();
    found.forEach(function (rows) { rows.forEach(function (_, number) { candidates.add(number); }); });
    // tactics described by a phrase around a name count as named (see above)
    var widened = new Set();
    widening.forEach(function (p) {
      found.get(p).forEach(function (row, number) {
        if (row[1] === self.DESCRIBED) widened.add(number);
      });
    });

    var scored = [];
    candidates.forEach(function (number) {
      var tactic = self.tactics[number];
      var areas = tactic.areas;
      if (allowed !== null && !areas.some(function (a) { return allowed.has(a); })) return;
      var tier;
      if (
        areas.some(function (a) { return intent.has(a); }) ||
        tactic.measures.some(function (m) { return namedMeasures.has(m); }) ||
        widened.has(number)
      ) {
        tier = 0;
      } else if (areas.some(function (a) { return near.has(a); })) {
        tier = 1;
      } else {
        tier = 2;
      }
      var met = [];
      var total = 0;
      var voices = 0;
      units.forEach(function (unit, u) {
        var values = [];
        if (unit.topic !== null) {
          var rows = found.get(unit.topic);
          values.push(rows && rows.has(number) ? 1.0 : 0.0);
        }
        (unit.topic !== null ? [] : unit.at).forEach(function (position) {
          var phrases = phraseAt.get(position) || [];
          if (phrases.some(function (p) { return found.get(p).has(number); })) {
            values.push(1.0);
          } else if (namingCovered.has(position) && tier === 0) {
            values.push(1.0);
          } else {
            var rows = found.get(words[position]);
            var how = rows && rows.has(number) ? rows.get(number)[1] : null;
            if (how === self.DESCRIBED) values.push(1.0);
            else if (how === self.MENTIONED) values.push(0.5);
            else if (how === null) values.push(0.0);
            // named only in an organisation's name: neutral
          }
        });
        if (!values.length) return;
        var sum = 0;
        values.forEach(function (v) { sum += v; });
        met.push(sum / values.length);
        total += (sum / values.length) * unitWeight[u];
        voices += unitWeight[u];
      });
      var needed = tier === 0 ? 0.5 : 0.51;
      if (!met.length || met.indexOf(1.0) < 0 || total / voices < needed) return;
      var matched = [];
      var score = 0;
      found.forEach(function (rows, term) {
        if (rows.has(number)) matched.push(term);
      });
      matched.forEach(function (term) { score += found.get(term).get(number)[0]; });
      if (tier === 2 && score < self.data.absoluteFloor) return;
      if (tactic.measures.some(function (m) { return namedMeasures.has(m); })) {
        score *= self.data.measureBoost;
      }
      if (areas.length && intent.has(areas[0])) score *= self.data.areaBoost;
      scored.push({ tactic: tactic, score: round4(score), matched: matched, tier: tier });
    });
    if (!scored.length) {
      result.weak = true;
      return result;
    }
    scored.sort(function (a, b) {
      if (a.tier !== b.tier) return a.tier - b.tier;
      if (a.score !== b.score) return b.score - a.score;
      return a.tactic.id < b.tactic.id ? -1 : a.tactic.id > b.tactic.id ? 1 : 0;
    });
    var best = Math.max.apply(null, scored.map(function (h) { return h.score; }));
    var floor = best * this.data.floor;
    var kept = scored.filter(function (h) { return h.tier < 2 || h.score >= floor; });
    result.hits = takeTurns(kept, subjectsOf(things))
      .slice(0, limit)
      .map(function (h) {
        h.inArea = h.tier < 2;
        return h;
      });
    return result;
  };

  var api = {
    Index: Index,
    stem: stem,
    makeTokens: makeTokens,
    makeRawTokens: makeRawTokens,
    osa: osa,
    frontDecoded: frontDecoded,
  };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.ImprovedirSearch = api;
})(typeof window !== "undefined" ? window : globalThis);
