/* Ambassadeurs NR — quiz scoring in the browser.
   The same rules as course_content/scoring.py (read its docstring), on the question
   descriptions written by course_content/scoring_key.py; a test runs both on the same
   answers and requires the same scores. Works as a browser global (AmbassadeursScoring)
   and as a Node module (for that test). */
(function (root) {
  "use strict";

  var EPSILON = 1e-9;
  var UNITS = 10000; // scores are kept in units of 1e-4: Python rounds them to 4 decimals

  function isStringList(value) {
    if (!Array.isArray(value)) return false;
    for (var i = 0; i < value.length; i++) {
      if (typeof value[i] !== "string") return false;
    }
    return true;
  }

  // Python's float() grammar, after the same clean-up as scoring._as_number.
  var DIGITS = "[0-9](?:_?[0-9])*";
  var DECIMAL = new RegExp(
    "^[+-]?(?:" + DIGITS + "(?:\\.(?:" + DIGITS + ")?)?|\\.(?:" + DIGITS + "))" +
      "(?:[eE][+-]?" + DIGITS + ")?$"
  );
  var SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;
  // What Python's str.strip() removes (str.isspace), as far as a learner can type it.
  var PY_SPACE = "[\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
  var STRIP = new RegExp("^" + PY_SPACE + "+|" + PY_SPACE + "+$", "g");

  var DIGIT = null;
  try {
    DIGIT = new RegExp("\\p{Nd}", "gu");
  } catch (e) {
    // An old browser without Unicode property escapes reads ASCII digits only.
  }

  /** Other scripts' decimal digits as ASCII, as Python's float() reads them. */
  function asciiDigits(text) {
    if (!DIGIT || /^[\x00-\x7f]*$/.test(text)) return text;
    var single = new RegExp("^\\p{Nd}$", "u");
    return text.replace(DIGIT, function (digit) {
      // Unicode encodes decimal digits in runs of ten, zero first: count back to the zero.
      var code = digit.codePointAt(0);
      var start = code;
      while (single.test(String.fromCodePoint(start - 1))) start -= 1;
      return String((code - start) % 10);
    });
  }

  /** A learner's number: a JS number, or a string read like Python's float(); else null. */
  function asNumber(response) {
    if (typeof response === "number") return response;
    if (typeof response !== "string") return null;
    var text = response.replace(STRIP, "").replace(/,/g, ".").replace(/\u202f/g, "").replace(/ /g, "");
    text = asciiDigits(text).replace(STRIP, ""); // float() strips whitespace again
    var special = SPECIAL.exec(text);
    if (special) {
      if (special[2].toLowerCase() === "nan") return NaN;
      return special[1] === "-" ? -Infinity : Infinity;
    }
    if (!DECIMAL.test(text)) return null;
    return Number(text.replace(/_/g, ""));
  }

  function gcd(a, b) {
    while (b) {
      var t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  /** points * num / den in units of 1e-4, rounded half to even like Python's round(x, 4). */
  function toUnits(points, num, den) {
    if (num <= 0) return 0;
    var g = gcd(num, den);
    num = (num / g) * points * UNITS;
    den = den / g;
    var q = Math.floor(num / den);
    var twice = 2 * (num - q * den);
    if (twice > den || (twice === den && q % 2 === 1)) q += 1;
    return q;
  }

  /** Python's round(x, 4) on a float x >= 0: nearest, ties (exact in binary) to even. */
  function round4(x) {
    // x is exactly halfway between two 4-decimal numbers only when x * 32 is an odd integer
    // (odd / 20000 is a binary fraction only for multiples of 625 / 20000 = 1 / 32).
    var scaled = x * 32;
    if (Number.isInteger(scaled) && scaled % 2 === 1) {
      var low = Math.floor(x * UNITS);
      return (low % 2 === 0 ? low : low + 1) / UNITS;
    }
    return Number(x.toFixed(4)); // toFixed rounds the exact binary value
  }

  /** [numerator, denominator] of the share of the points that `response` earns. */
  function fraction(q, response) {
    var i, j;
    switch (q.type) {
      case "single_choice":
        return [typeof response === "string" && response === q.answer ? 1 : 0, 1];
      case "true_false":
        return [typeof response === "boolean" && response === q.answer ? 1 : 0, 1];
      case "numeric": {
        var value = asNumber(response);
        var hit = value !== null && Math.abs(value - q.answer) <= q.tolerance + EPSILON;
        return [hit ? 1 : 0, 1];
      }
      case "multiple_choice": {
        if (!isStringList(response)) return [0, 1];
        var key = new Set(q.answer);
        var selection = new Set(response);
        var right = 0;
        var wrong = 0;
        selection.forEach(function (id) {
          if (key.has(id)) right += 1;
          else wrong += 1;
        });
        var k = q.answer.length;
        var w = q.options.length - k;
        var num = right * w - wrong * k;
        return [Math.max(0, num), k * w];
      }
      case "matching": {
        if (response === null || typeof response !== "object" || Array.isArray(response)) {
          return [0, 1];
        }
        var matched = 0;
        for (i = 0; i < q.pairs.length; i++) {
          var pair = q.pairs[i];
          if (Object.prototype.hasOwnProperty.call(response, pair) && response[pair] === pair) {
            matched += 1;
          }
        }
        return [matched, q.pairs.length];
      }
      case "ordering": {
        var expected = q.items;
        if (!isStringList(response)) return [0, 1];
        var a = response.slice().sort();
        var b = expected.slice().sort();
        if (a.length !== b.length) return [0, 1];
        for (i = 0; i < a.length; i++) {
          if (a[i] !== b[i]) return [0, 1];
        }
        var position = {};
        for (i = 0; i < response.length; i++) position[response[i]] = i;
        var n = expected.length;
        var inOrder = 0;
        for (i = 0; i < n; i++) {
          for (j = i + 1; j < n; j++) {
            if (position[expected[i]] < position[expected[j]]) inOrder += 1;
          }
        }
        return [inOrder, (n * (n - 1)) / 2];
      }
    }
    throw new TypeError("unknown question type: " + q.type);
  }

  /** {id, score, max, correct} for one response to one question. */
  function scoreQuestion(q, response) {
    var share = fraction(q, response);
    var units = toUnits(q.points, share[0], share[1]);
    return {
      id: q.id,
      units: units,
      score: units / UNITS,
      max: q.points,
      correct: units / UNITS >= q.points - EPSILON,
    };
  }

  /** {score, max, scaled, passed, questions} for a whole attempt; missing answers score 0. */
  function scoreQuiz(quiz, responses) {
    var total = 0;
    var max = 0;
    var questions = [];
    for (var i = 0; i < quiz.questions.length; i++) {
      var q = quiz.questions[i];
      var has = Object.prototype.hasOwnProperty.call(responses, q.id);
      var result = scoreQuestion(q, has ? responses[q.id] : null);
      total += result.units;
      max += q.points;
      questions.push(result);
    }
    var score = total / UNITS;
    return {
      score: score,
      max: max,
      scaled: max ? round4(score / max) : 0,
      passed: max > 0 && score / max >= quiz.pass_mark - EPSILON,
      questions: questions,
    };
  }

  var api = { scoreQuestion: scoreQuestion, scoreQuiz: scoreQuiz, asNumber: asNumber };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.AmbassadeursScoring = api;
})(this);
