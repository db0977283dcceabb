import RelaisCore
import Testing

/// Bytes as French Excel writes them ("CSV (séparateur : point-virgule)"): Windows-1252.
func windows1252(_ text: String) -> [UInt8] {
    let high: [Unicode.Scalar: UInt8] = ["€": 0x80, "’": 0x92, "œ": 0x9C, "Œ": 0x8C, "Ÿ": 0x9F, "…": 0x85]
    return text.unicodeScalars.map { c -> UInt8 in
        if let byte = high[c] { return byte }
        precondition(c.value <= 0xFF, "not in Windows-1252: \(c)")
        return UInt8(c.value)
    }
}

struct CSVTableTests {
    @Test func frenchExcelWindows1252WithSemicolonsAndCRLF() throws {
        let bytes = windows1252("Prénom;Nom;Classe\r\nZoé;Lœuvre;CM2 B\r\nAnaïs;Éluard;CM2 B\r\nNoël;Cœur € 5;6e A\r\n")
        let table = try CSVTable(bytes: bytes)
        #expect(table.encoding == .windows1252)
        #expect(table.separator == .semicolon)
        #expect(table.header?.fields == ["Prénom", "Nom", "Classe"])
        #expect(table.records.map(\.fields) == [["Zoé", "Lœuvre", "CM2 B"], ["Anaïs", "Éluard", "CM2 B"], ["Noël", "Cœur € 5", "6e A"]])
        #expect(table.records.map(\.line) == [2, 3, 4])
    }

    @Test func utf8WithBOMIsReadAndTheBOMIsNotPartOfTheFirstHeader() throws {
        let table = try CSVTable(bytes: [0xEF, 0xBB, 0xBF] + Array("prénom;initiale;classe\r\nLéa;M;CM1\r\n".utf8))
        #expect(table.encoding == .utf8WithBOM)
        #expect(table.header?.fields.first == "prénom")
        #expect(table.records.first?.fields == ["Léa", "M", "CM1"])
    }

    @Test func commaTabAndCROnlyDialects() throws {
        let comma = try CSVTable(bytes: Array("a,b\n1,2\n".utf8))
        #expect(comma.separator == .comma && comma.records.first?.fields == ["1", "2"])
        let tab = try CSVTable(bytes: Array("a\tb\r1\t2;3\r".utf8))
        #expect(tab.separator == .tab)
        #expect(tab.records.first?.fields == ["1", "2;3"])
        #expect(tab.records.first?.line == 2)
        let single = try CSVTable(bytes: Array("nom\nx\n".utf8))
        #expect(single.records.first?.fields == ["x"])
    }

    @Test func quotedFieldsHoldSeparatorsQuotesAndLineBreaks() throws {
        let text = "nom;note\r\n\"Dupont; Jean\";\"il a dit \"\"bonjour\"\"\"\r\n\"deux\r\nlignes\";x\r\nsuite;y\r\n"
        let table = try CSVTable(bytes: Array(text.utf8))
        #expect(table.records.map(\.fields) == [["Dupont; Jean", "il a dit \"bonjour\""], ["deux\nlignes", "x"], ["suite", "y"]])
        // The row after a two-line field starts on physical line 5.
        #expect(table.records.map(\.line) == [2, 3, 5])
    }

    @Test func blankLinesAndEmptiedExcelRowsAreSkippedKeepingLineNumbers() throws {
        let table = try CSVTable(bytes: Array("a;b\n\n;\n  \n1;2\n;;\n".utf8))
        #expect(table.records.map(\.fields) == [["1", "2"]])
        #expect(table.records.first?.line == 5)
        #expect(try CSVTable(bytes: []).header == nil)
    }

    @Test func malformedQuotesAreRefusedNamingLineAndColumn() {
        #expect(throws: CSVError(line: 2, column: 2, problem: .unclosedQuote)) {
            try CSVTable(bytes: Array("a;b\n1;\"ouvert\n2;3\n".utf8))
        }
        do {
            _ = try CSVTable(bytes: Array("a;b\n1;\"x\"y\n".utf8))
            Issue.record("accepted text after a closing quote")
        } catch {
            #expect(error == CSVError(line: 2, column: 2, problem: .textAfterClosingQuote))
            #expect(error.french.hasPrefix("ligne 2, colonne 2 :"))
            #expect(error.english.hasPrefix("line 2, column 2:"))
        }
    }

    @Test func undefinedWindows1252BytesBecomeControlCharacters() throws {
        let table = try CSVTable(bytes: [0x61, 0x0A, 0x81, 0xE9, 0x0A])
        #expect(table.encoding == .windows1252)
        #expect(table.records.first?.fields == ["\u{81}é"])
    }
}

extension CSVTableTests {
    @Test func excelsSepLineNamesTheSeparator() throws {
        let table = try CSVTable(bytes: Array("sep=,\r\nnom;prénom,classe\r\nA;B,C\r\n".utf8))
        #expect(table.separator == .comma)
        #expect(table.header?.fields == ["nom;prénom", "classe"] && table.header?.line == 2)
        #expect(table.records.first?.line == 3)
    }
}
