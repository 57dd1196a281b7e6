/// Did-you-mean: the closest candidate by edit distance, if it is close enough to be a typo.
public enum Suggest {
    public static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        let w = Array(word.lowercased().utf8)
        let budget = max(2, w.count / 3)
        var best: (String, Int)?
        for c in candidates {
            let cu = Array(c.lowercased().utf8)
            if abs(cu.count - w.count) > budget { continue }
            let d = distance(w, cu, limit: budget)
            if d <= budget, best == nil || d < best!.1 || (d == best!.1 && c < best!.0) { best = (c, d) }
        }
        return best?.0
    }

    public static func hint(_ word: String, in candidates: some Sequence<String>) -> String {
        closest(to: word, in: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }

    /// Levenshtein distance with an early exit once every cell of a row exceeds `limit`.
    static func distance(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMin = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                rowMin = min(rowMin, current[j])
            }
            if rowMin > limit { return rowMin }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}

/// Joins values for a message: `a, b or c`.
func listing(_ values: [String], conjunction: String = "or") -> String {
    switch values.count {
    case 0: return ""
    case 1: return values[0]
    default: return values.dropLast().joined(separator: ", ") + " \(conjunction) " + values.last!
    }
}
