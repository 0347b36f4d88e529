"""Commands that ask: questions, interview."""
