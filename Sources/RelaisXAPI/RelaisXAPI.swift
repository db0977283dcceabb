// xAPI 1.0.3 statements: validation, equivalence, pseudonyms (pure).
