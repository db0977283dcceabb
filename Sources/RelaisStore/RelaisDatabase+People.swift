import GRDB

extension RelaisDatabase {
    /// Migrations of people (issue 9): staff accounts, classes and their teachers, pupils, portal
    /// sessions, sign-in throttling, the admin's one-time setup and reset codes, the audit log.
    ///
    /// The rules live in the schema: roles, cycles and learner kinds are CHECKed, logins and class
    /// names UNIQUE, a pupil is unique in its class by first name and initial, and removing a class
    /// or a person removes what hangs from it (ON DELETE CASCADE). Codes and session tokens are
    /// stored as SHA-256 only.
    static func registerPeopleMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v8-people") { db in
            // `learner.kind` gains 'pupil' and 'staff'. SQLite cannot change a CHECK, so the table
            // is rebuilt (launch and scormAttempt reference it by name: foreign keys are off during
            // a migration and checked before it commits).
            try db.execute(sql: """
                CREATE TABLE learner_new (
                    id TEXT PRIMARY KEY NOT NULL,
                    firstName TEXT NOT NULL,
                    kind TEXT NOT NULL CHECK (kind IN ('guest', 'pupil', 'staff')),
                    createdAt INTEGER NOT NULL
                );
                INSERT INTO learner_new (id, firstName, kind, createdAt) SELECT id, firstName, kind, createdAt FROM learner;
                DROP TABLE learner;
                ALTER TABLE learner_new RENAME TO learner;
                CREATE INDEX learnerByFirstName ON learner(kind, firstName);

                CREATE TABLE person (
                    id TEXT PRIMARY KEY NOT NULL,
                    role TEXT NOT NULL CHECK (role IN ('admin', 'enseignant')),
                    lastName TEXT NOT NULL CHECK (length(lastName) BETWEEN 1 AND 60),
                    firstName TEXT NOT NULL CHECK (length(firstName) BETWEEN 1 AND 60),
                    email TEXT CHECK (email IS NULL OR length(email) BETWEEN 3 AND 254),
                    login TEXT NOT NULL UNIQUE CHECK (length(login) BETWEEN 1 AND 60 AND login = lower(login)),
                    passwordHash TEXT,
                    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
                    createdAt INTEGER NOT NULL
                );

                CREATE TABLE schoolClass (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 60),
                    level TEXT CHECK (level IS NULL OR length(level) <= 60),
                    cycle TEXT CHECK (cycle IS NULL OR cycle IN ('cycle1', 'cycle2', 'cycle3', 'cycle4', 'lycee')),
                    createdAt INTEGER NOT NULL
                );
                CREATE TABLE classTeacher (
                    classId TEXT NOT NULL REFERENCES schoolClass(id) ON DELETE CASCADE,
                    personId TEXT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
                    PRIMARY KEY (classId, personId)
                ) WITHOUT ROWID;
                CREATE INDEX classTeacherByPerson ON classTeacher(personId);

                -- A pupil is a learner (its id feeds the pseudonym) in one class. Only the first name
                -- (learner.firstName) and one initial are kept; firstNameKey is the first name folded
                -- (PeopleText.key) so "Léa" and "LEA" are the same pupil of a class.
                CREATE TABLE pupil (
                    id TEXT PRIMARY KEY NOT NULL REFERENCES learner(id) ON DELETE CASCADE,
                    classId TEXT NOT NULL REFERENCES schoolClass(id) ON DELETE CASCADE,
                    firstNameKey TEXT NOT NULL CHECK (length(firstNameKey) >= 1),
                    lastInitial TEXT NOT NULL CHECK (length(lastInitial) = 1 AND lastInitial = upper(lastInitial)),
                    UNIQUE (classId, firstNameKey, lastInitial)
                );

                -- What the purge and the removal of a pupil look up by learner, agent or registration.
                CREATE INDEX scormAttemptByLearner ON scormAttempt(learnerId);
                CREATE INDEX stateDocumentByAgent ON stateDocument(agentKey);
                CREATE INDEX credentialByRegistration ON credential(registration) WHERE registration IS NOT NULL;
                -- Statements are deleted now (purge, removal): each delete checks statementRelation's
                -- foreign key by seq, a full scan without this index.
                CREATE INDEX statementRelationBySeq ON statementRelation(seq);

                -- Portal sign-in sessions: only the SHA-256 of the token is kept.
                CREATE TABLE session (
                    idHash TEXT PRIMARY KEY NOT NULL CHECK (length(idHash) = 64),
                    personId TEXT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
                    csrfToken TEXT NOT NULL,
                    createdAt INTEGER NOT NULL,
                    lastSeenAt INTEGER NOT NULL
                );
                CREATE INDEX sessionByPerson ON session(personId);

                -- Failed sign-ins, by "account:LOGIN" and "address:IP", for throttling.
                CREATE TABLE signInFailure (
                    key TEXT NOT NULL,
                    at INTEGER NOT NULL
                );
                CREATE INDEX signInFailureByKey ON signInFailure(key, at);

                CREATE TABLE adminSetup (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    codeHash TEXT NOT NULL CHECK (length(codeHash) = 64),
                    createdAt INTEGER NOT NULL,
                    usedAt INTEGER
                );

                CREATE TABLE resetCode (
                    personId TEXT NOT NULL REFERENCES person(id) ON DELETE CASCADE,
                    codeHash TEXT NOT NULL CHECK (length(codeHash) = 64),
                    createdAt INTEGER NOT NULL,
                    expiresAt INTEGER NOT NULL,
                    usedAt INTEGER
                );
                CREATE INDEX resetCodeByPerson ON resetCode(personId);

                -- Who did or saw what about pupils. No foreign keys: the log outlives the rows it names.
                CREATE TABLE auditLog (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    at INTEGER NOT NULL,
                    personId TEXT,
                    action TEXT NOT NULL CHECK (length(action) >= 1),
                    pupilId TEXT,
                    classId TEXT,
                    detail TEXT NOT NULL DEFAULT ''
                );
                """)
        }
    }
}
