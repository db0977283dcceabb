import RelaisCore
import RelaisXAPI
import Testing

/// One test per rule of xAPI-Data section 2 the LRS enforces; each checks the field is named.
struct StatementValidationTests {
    @Test func aCompleteStatementIsValid() {
        let statement = sampleStatement {
            $0["id"] = "6fbd600f-d17c-4c74-801a-2ec2e53231c9"
            $0["result"] = ["score": ["scaled": 0.8, "raw": 8, "min": 0, "max": 10], "success": true, "completion": true, "duration": "PT2M"]
            $0["context"] = [
                "registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7", "platform": "Relais", "language": "fr-FR",
                "contextActivities": ["parent": [["id": "https://relais.invalid/a"]], "grouping": ["id": "https://relais.invalid/b"]],
                "instructor": ["account": ["homePage": "https://ent.example", "name": "prof"]],
                "extensions": ["https://w3id.org/xapi/cmi5/context/extensions/sessionid": "abc"],
            ]
            $0["timestamp"] = "2026-09-01T08:30:00.000+02:00"
            $0["version"] = "1.0.0"
        }
        #expect(refusal(statement) == nil)
    }

    @Test func actorVerbAndObjectAreRequired() {
        #expect(refusal(sampleStatement { $0["actor"] = nil }) == "statement.actor is required")
        #expect(refusal(sampleStatement { $0["verb"] = nil }) == "statement.verb is required")
        #expect(refusal(sampleStatement { $0["object"] = nil }) == "statement.object is required")
    }

    @Test func verbIdMustBeAnIRI() {
        #expect(refusal(sampleStatement { $0["verb"] = ["id": "completed"] }) == "statement.verb.id is not an IRI")
    }

    @Test func verbDisplayIsALanguageMap() {
        let bad = sampleStatement { $0["verb"] = ["id": "http://x.y/v", "display": ["fr_FR": "x"]] }
        #expect(refusal(bad) == "statement.verb.display.fr_FR is not an RFC 5646 language tag")
    }

    @Test func unknownPropertiesAreRefused() {
        #expect(refusal(sampleStatement { $0["extra"] = 1 }) == "statement.extra is not an xAPI property here")
        #expect(refusal(sampleStatement { $0["verb"] = ["id": "http://x.y/v", "name": "x"] }) == "statement.verb.name is not an xAPI property here")
    }

    @Test func statementIdMustBeAUUID() {
        #expect(refusal(sampleStatement { $0["id"] = "42" }) == "statement.id is not a UUID")
    }

    @Test func anAgentHasExactlyOneIdentifier() {
        let two = sampleStatement { $0["actor"] = ["mbox": "mailto:a@b.c", "openid": "https://id.example/a"] }
        #expect(refusal(two) == "statement.actor must have exactly one of mbox, mbox_sha1sum, openid, account (has 2)")
        let none = sampleStatement { $0["actor"] = ["name": "Léa"] }
        #expect(refusal(none) == "statement.actor must have exactly one of mbox, mbox_sha1sum, openid, account (has 0)")
    }

    @Test func mboxIsAMailtoIRI() {
        #expect(refusal(sampleStatement { $0["actor"] = ["mbox": "lea@example.fr"] }) == "statement.actor.mbox must be a mailto: IRI")
    }

    @Test func mboxSha1sumIsHex() {
        #expect(refusal(sampleStatement { $0["actor"] = ["mbox_sha1sum": "xyz"] }) == "statement.actor.mbox_sha1sum must be 40 hexadecimal digits")
    }

    @Test func accountNeedsHomePageIRIAndName() {
        #expect(refusal(sampleStatement { $0["actor"] = ["account": ["name": "a"]] }) == "statement.actor.account.homePage is required")
        #expect(refusal(sampleStatement { $0["actor"] = ["account": ["homePage": "x", "name": "a"]] }) == "statement.actor.account.homePage is not an IRI")
        #expect(refusal(sampleStatement { $0["actor"] = ["account": ["homePage": "https://a.b"]] }) == "statement.actor.account.name is required")
    }

    @Test func anAnonymousGroupListsItsMembersWhichAreAgents() {
        #expect(refusal(sampleStatement { $0["actor"] = ["objectType": "Group"] }) == "statement.actor.member is required in an anonymous Group (one without an identifier)")
        let nested = sampleStatement { $0["actor"] = ["objectType": "Group", "member": [["objectType": "Group", "mbox": "mailto:g@x.y"]]] }
        #expect(refusal(nested) == "statement.actor.member[0].objectType must be Agent")
        let fine = sampleStatement { $0["actor"] = ["objectType": "Group", "name": "6e B", "member": [["mbox": "mailto:a@b.c"]]] }
        #expect(refusal(fine) == nil)
    }

    @Test func activityIdIsRequiredAndAnIRI() {
        #expect(refusal(sampleStatement { $0["object"] = ["objectType": "Activity"] }) == "statement.object.id is required")
        #expect(refusal(sampleStatement { $0["object"] = ["id": "calcul"] }) == "statement.object.id is not an IRI")
    }

    @Test func objectTypeIsKnown() {
        #expect(refusal(sampleStatement { $0["object"] = ["objectType": "Thing", "id": "http://x.y"] })
            == "statement.object.objectType must be Activity, Agent, Group, StatementRef or SubStatement")
    }

    @Test func interactionComponentsNeedAnInteractionType() {
        let bad = sampleStatement { $0["object"] = ["id": "http://x.y/q", "definition": ["choices": [["id": "a"]]]] }
        #expect(refusal(bad) == "statement.object.definition.choices needs an interactionType")
        let wrong = sampleStatement { $0["object"] = ["id": "http://x.y/q", "definition": ["interactionType": "quiz"]] }
        #expect(refusal(wrong)?.hasPrefix("statement.object.definition.interactionType must be one of") == true)
    }

    @Test func statementRefIdIsAUUID() {
        #expect(refusal(sampleStatement { $0["object"] = ["objectType": "StatementRef", "id": "x"] }) == "statement.object.id is not a UUID")
    }

    @Test func subStatementsDoNotNestAndHaveNoId() {
        let inner = sampleStatement()
        #expect(refusal(sampleStatement { $0["object"] = inner.setting("objectType", to: "SubStatement") }) == nil)
        let withId = inner.setting("objectType", to: "SubStatement").setting("id", to: "6fbd600f-d17c-4c74-801a-2ec2e53231c9")
        #expect(refusal(sampleStatement { $0["object"] = withId }) == "statement.object.id is not an xAPI property here")
        let nested = inner.setting("objectType", to: "SubStatement").setting("object", to: inner.setting("objectType", to: "SubStatement"))
        #expect(refusal(sampleStatement { $0["object"] = nested }) == "statement.object.object cannot be a SubStatement inside a SubStatement")
    }

    @Test func scaledScoreIsBetweenMinusOneAndOne() {
        #expect(refusal(sampleStatement { $0["result"] = ["score": ["scaled": 1.5]] }) == "statement.result.score.scaled must be between -1 and 1")
    }

    @Test func rawScoreIsBetweenMinAndMax() {
        #expect(refusal(sampleStatement { $0["result"] = ["score": ["raw": 11, "min": 0, "max": 10]] }) == "statement.result.score.raw must not be more than statement.result.score.max")
        #expect(refusal(sampleStatement { $0["result"] = ["score": ["min": 5, "max": 5]] }) == "statement.result.score.min must be less than statement.result.score.max")
    }

    @Test func resultTypes() {
        #expect(refusal(sampleStatement { $0["result"] = ["success": "yes"] }) == "statement.result.success must be true or false")
        #expect(refusal(sampleStatement { $0["result"] = ["duration": "2 minutes"] }) == "statement.result.duration is not an ISO 8601 duration (e.g. PT1M30S)")
    }

    @Test func timestampIsISO8601WithATimeZone() {
        let message = "statement.timestamp is not an ISO 8601 date-time with a time zone (e.g. 2026-09-01T08:30:00.000Z)"
        #expect(refusal(sampleStatement { $0["timestamp"] = "2026-09-01 08:30" }) == message)
        #expect(refusal(sampleStatement { $0["timestamp"] = "2026-09-01T08:30:00-00:00" }) == message)
    }

    @Test func versionIsOnePointZero() {
        #expect(refusal(sampleStatement { $0["version"] = "2.0.0" }) == "statement.version is not 1.0.x (this LRS speaks xAPI 1.0.3)")
        #expect(refusal(sampleStatement { $0["version"] = "1.0.3" }) == nil)
    }

    @Test func registrationIsAUUID() {
        #expect(refusal(sampleStatement { $0["context"] = ["registration": "abc"] }) == "statement.context.registration is not a UUID")
    }

    @Test func revisionAndPlatformOnlyWithAnActivity() {
        let bad = sampleStatement {
            $0["object"] = ["objectType": "Agent", "mbox": "mailto:x@y.z"]
            $0["context"] = ["platform": "Relais"]
        }
        #expect(refusal(bad) == "statement.context.platform is only allowed when the object is an Activity")
    }

    @Test func teamIsAGroup() {
        #expect(refusal(sampleStatement { $0["context"] = ["team": ["mbox": "mailto:x@y.z"]] }) == "statement.context.team must be a Group")
    }

    @Test func extensionKeysAreIRIs() {
        #expect(refusal(sampleStatement { $0["context"] = ["extensions": ["session": 1]] }) == "statement.context.extensions.session is not an IRI (extension keys must be IRIs)")
    }

    @Test func voidingStatementsTargetAStatementRef() {
        let bad = sampleStatement { $0["verb"] = ["id": .string(StatementValidator.voidedVerb)] }
        #expect(refusal(bad) == "statement.object of a voiding statement must be a StatementRef")
        let good = sampleStatement {
            $0["verb"] = ["id": .string(StatementValidator.voidedVerb)]
            $0["object"] = ["objectType": "StatementRef", "id": "6fbd600f-d17c-4c74-801a-2ec2e53231c9"]
        }
        #expect(refusal(good) == nil)
    }

    @Test func attachmentsWithoutAFileUrlAreValidStatements() {
        let attachment: JSONValue = ["usageType": "http://x.y/u", "display": ["fr": "a"], "contentType": "text/plain", "length": 3, "sha2": "abc"]
        // Without fileUrl the bytes come as a multipart part, checked by StatementAttachments.match.
        #expect(refusal(sampleStatement { $0["attachments"] = [attachment] }) == nil)
        #expect(refusal(sampleStatement { $0["attachments"] = [attachment.setting("fileUrl", to: "https://x.y/f")] }) == nil)
    }

    @Test func theBatchPathNamesTheStatement() {
        #expect(throws: XAPIError.badRequest("statements[3].verb.id is not an IRI")) {
            try StatementValidator.validate(sampleStatement { $0["verb"] = ["id": "x"] }, path: "statements[3]")
        }
    }
}
