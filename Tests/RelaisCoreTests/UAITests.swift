import RelaisCore
import Testing

struct UAITests {
    @Test func acceptsAValidUAI() throws {
        #expect(try UAI("0750654D").value == "0750654D")
        #expect(try UAI("0750654d").value == "0750654D")
    }

    @Test func refusesAWrongCheckLetterNamingTheExpectedOne() {
        #expect(throws: UAIError.wrongCheckLetter("0750654E", expected: "D")) { try UAI("0750654E") }
        let message = UAIError.wrongCheckLetter("0750654E", expected: "D").description
        #expect(message.contains("devrait être D"))
        #expect(message.contains("0750654D"))
    }

    @Test(arguments: ["", "075065D", "07506541D", "A750654D", "07506549", "0750654 "])
    func refusesMalformedUAIs(text: String) {
        #expect(throws: UAIError.malformed(text)) { try UAI(text) }
    }

    @Test func checkLetterFollowsTheModulo23Rule() {
        // 750654 % 23 = 3 → "D"; 0 → "A"; 22 → "Z" (I, O and Q are skipped).
        #expect(UAI.checkLetter(forDigits: "0750654") == "D")
        #expect(UAI.checkLetter(forDigits: "0000000") == "A")
        #expect(UAI.checkLetter(forDigits: "0000022") == "Z")
        #expect(UAI.checkLetter(forDigits: "0000008") == "J")
    }
}
