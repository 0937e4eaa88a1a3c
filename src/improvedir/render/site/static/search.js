/* improvedir search, ported line by line from src/improvedir/engine/search.py.
 *
 * The index is the one `improvedir search` uses, written at build time by
 * engine/browser_index.py into search-index.js. Keep this file in step with search.py:
 * tests/test_site_search.py runs the repository's query set through both.
 * Runs in a browser (window.ImprovedirSearch) and in node (module.exports).
 */
(function (root) {
  "use strict";

  var TOKEN = /[a-z0-9]+(?:&[a-z0-9]+)*/g;
  var ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  function replaceAll(text, from, to) {
    return text.split(from).join(to);
  }

  function stem(word) {
    if (word.length > 4 && word.slice(-3) === "ies") return word.slice(0, -3) + "y";
    if (
      word.length > 3 &&
      word.slice(-1) === "s" &&
      !(word.slice(-2) === "ss" || word.slice(-2) === "us" || word.slice(-2) === "is")
    ) {
      return word.slice(0, -1);
    }
    return word;
  }

  function makeTokens(stopwords) {
    return function tokens(text) {
      var lowered = text.toLowerCase();
      lowered = replaceAll(lowered, "\u2019", "'");
      lowered = replaceAll(lowered, "'s ", " ");
      lowered = replaceAll(lowered, " & ", "&");
      lowered = replaceAll(lowered, "a and e", "a&e");
      var found = lowered.match(TOKEN) || [];
      var out = [];
      for (var i = 0; i < found.length; i++) {
        if (!stopwords.has(found[i])) out.push(stem(found[i]));
      }
      return out;
    };
  }

  // rapidfuzz's fuzz.ratio: the normalised Indel similarity, 100 * 2 * LCS / (len1 + len2).
  function lcs(a, b) {
    var row = new Array(b.length + 1).fill(0);
    for (var i = 1; i <= a.length; i++) {
      var diagonal = 0;
      for (var j = 1; j <= b.length; j++) {
        var above = row[j];
        row[j] = a[i - 1] === b[j - 1] ? diagonal + 1 : Math.max(row[j], row[j - 1]);
        diagonal = above;
      }
    }
    return row[b.length];
  }

  function ratio(a, b) {
    var total = a.length + b.length;
    if (!total) return 100;
    return 100 * (1 - (total - 2 * lcs(a, b)) / total);
  }

  function decodePostings(data) {
    var postings = new Map();
    var list = data.postings;
    for (var i = 0; i < list.length; i += 2) {
      postings.set(list[i], list[i + 1]);
    }
    var cache = new Map();
    var K1 = data.k1;
    var B = data.b;
    function finish(term) {
      if (cache.has(term)) return cache.get(term);
      var raw = postings.get(term);
      var out = [];
      if (raw === undefined) {
        // nothing
      } else if (data.mode === "exact") {
        for (var r = 0; r < raw.length; r++) out.push([raw[r][0], raw[r][1], raw[r][2] === 1]);
      } else {
        var numbers = [];
        var value = 0;
        var shift = 0;
        for (var c = 0; c < raw.length; c++) {
          var digit = ALPHABET.indexOf(raw[c]);
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
          var number = previous + 1 + Math.floor(numbers[k] / 2);
          var strong = numbers[k] % 2 === 1;
          var tf = numbers[k + 1] / 2;
          var length = data.lengths[number];
          // The same expression, in the same order, as search.py's Index.__init__.
          var weight = (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * length) / data.average));
          out.push([number, weight, strong]);
          previous = number;
        }
      }
      cache.set(term, out);
      return out;
    }
    return { has: function (t) { return postings.has(t); }, get: finish, keys: postings.keys.bind(postings) };
  }

  function Index(data) {
    this.data = data;
    this.stopwords = new Set(data.stopwords);
    this.generic = new Set(data.generic);
    this.tokens = makeTokens(this.stopwords);
    this.postings = decodePostings(data);
    this.vocab = [];
    var self = this;
    Array.from(this.postings.keys()).forEach(function (term) {
      if (term.indexOf(" ") < 0) self.vocab.push(term);
    });
    this.english = new Set(data.english);
    this.mentioned = new Set(data.mentioned);
    this.named = [];
    data.named.forEach(function (entry) {
      entry[2].forEach(function (phrase) {
        self.named.push([phrase.split(" "), entry[0], entry[1]]);
      });
    });
    this.tactics = data.tactics;
  }

  Index.prototype.termPostings = function (word) {
    return this.postings.get(word);
  };

  Index.prototype.areaFamily = function (areaId) {
    var found = new Set([areaId]);
    var parents = this.data.parents;
    var changed = true;
    while (changed) {
      changed = false;
      for (var id in parents) {
        if (found.has(parents[id]) && !found.has(id)) {
          found.add(id);
          changed = true;
        }
      }
    }
    return found;
  };

  Index.prototype.correct = function (word) {
    if (this.termPostings(word).length) return word;
    if (word.length < 4 || /[0-9]/.test(word)) return null;
    // process.extractOne(word, vocabulary, scorer=fuzz.ratio, score_cutoff=80): the first
    // choice with the highest score.
    var best = null;
    var bestScore = 80;
    for (var i = 0; i < this.vocab.length; i++) {
      var choice = this.vocab[i];
      // A ratio of 80 needs the shorter word to be at least 2/3 of the longer.
      if (3 * Math.min(word.length, choice.length) < 2 * Math.max(word.length, choice.length)) continue;
      var score = ratio(word, choice);
      if (score >= bestScore && (best === null || score > bestScore)) {
        best = choice;
        bestScore = score;
      }
    }
    if (best === null || this.english.has(word)) return null;
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

  function round4(x) {
    return Number(x.toFixed(4));
  }

  Index.prototype.search = function (query, limit) {
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
    };
    var typed = this.tokens(query);
    var words = [];
    typed.forEach(function (word) {
      var corrected = self.correct(word);
      if (corrected === null) {
        if (result.unknown.indexOf(word) < 0) result.unknown.push(word);
        words.push(word);
      } else {
        if (corrected !== word) result.corrections[word] = corrected;
        words.push(corrected);
      }
    });

    // What the query names: areas and measures, by their phrases.
    var namedAreas = new Map();
    var namedMeasures = new Map();
    var namingCovered = new Set();
    this.named.forEach(function (entry) {
      var phrase = entry[0];
      positions(words, phrase).forEach(function (start) {
        for (var p = start; p < start + phrase.length; p++) namingCovered.add(p);
        var target = entry[1] === "area" ? namedAreas : namedMeasures;
        if (!target.has(entry[2])) target.set(entry[2], null);
      });
    });
    namedMeasures.forEach(function (_, measureId) {
      (self.data.measureAreas[measureId] || []).forEach(function (a) {
        if (!namedAreas.has(a)) namedAreas.set(a, null);
      });
    });
    result.areas = Array.from(namedAreas.keys());
    result.measures = Array.from(namedMeasures.keys());

    // Terms to look up: every known word, and every phrase the index holds.
    var terms = new Map();
    var phraseCovered = new Set();
    for (var size = Math.min(this.data.maxPhrase, words.length); size > 1; size--) {
      for (var start = 0; start + size <= words.length; start++) {
        var phrase = words.slice(start, start + size).join(" ");
        if (terms.has(phrase)) continue;
        var found = this.termPostings(phrase);
        if (found.length) {
          terms.set(phrase, found);
          for (var q = start; q < start + size; q++) phraseCovered.add(q);
        }
      }
    }
    Array.from(new Set(words)).forEach(function (word) {
      if (result.unknown.indexOf(word) < 0) terms.set(word, self.termPostings(word));
    });
    if (!terms.size) return result;

    // How well the query as a whole is matched (see search.py).
    var strength = [];
    words.forEach(function (word, position) {
      if (namingCovered.has(position) || phraseCovered.has(position)) {
        strength.push(1.0);
        return;
      }
      if (self.generic.has(word)) return;
      var found = terms.get(word) || [];
      if (found.some(function (p) { return p[2]; })) strength.push(1.0);
      else if (found.length) strength.push(self.mentioned.has(word) ? 0.5 : -1.0);
      else strength.push(0.0);
    });
    var counted = strength.filter(function (s) { return s >= 0; });
    var coverage = counted.length
      ? counted.reduce(function (a, b) { return a + b; }, 0) / counted.length
      : 0.0;
    var needed = namedAreas.size ? 0.5 : 0.51;
    if (!counted.length || coverage < needed || counted.indexOf(1.0) < 0) {
      result.weak = terms.size > 0;
      result.near = Array.from(namedAreas.keys());
      return result;
    }

    var intent = new Set();
    namedAreas.forEach(function (_, a) {
      self.areaFamily(a).forEach(function (f) { intent.add(f); });
    });
    var scores = new Map();
    var matched = new Map();
    var qualifies = new Set();
    terms.forEach(function (found, term) {
      var specific = term.indexOf(" ") >= 0 || !self.generic.has(term);
      found.forEach(function (p) {
        scores.set(p[0], (scores.has(p[0]) ? scores.get(p[0]) : 0.0) + p[1]);
        if (!matched.has(p[0])) matched.set(p[0], []);
        matched.get(p[0]).push(term);
        if (p[2] && specific) qualifies.add(p[0]);
      });
    });
    var hits = [];
    scores.forEach(function (score, number) {
      if (!qualifies.has(number)) return;
      var tactic = self.tactics[number];
      var inArea =
        tactic.areas.some(function (a) { return intent.has(a); }) ||
        tactic.measures.some(function (m) { return namedMeasures.has(m); });
      hits.push({ tactic: tactic, score: round4(score), matched: matched.get(number), inArea: inArea });
    });
    if (!hits.length) {
      result.weak = true;
      result.near = Array.from(namedAreas.keys());
      return result;
    }
    hits.sort(function (a, b) {
      if (a.inArea !== b.inArea) return a.inArea ? -1 : 1;
      if (a.score !== b.score) return b.score - a.score;
      return a.tactic.id < b.tactic.id ? -1 : a.tactic.id > b.tactic.id ? 1 : 0;
    });
    var best = Math.max.apply(null, hits.map(function (h) { return h.score; }));
    var floor = best * this.data.floor;
    result.hits = hits
      .filter(function (h) { return h.inArea || h.score >= floor; })
      .slice(0, limit);
    return result;
  };

  var api = { Index: Index, stem: stem, makeTokens: makeTokens, ratio: ratio };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  else root.ImprovedirSearch = api;
})(typeof window !== "undefined" ? window : globalThis);
