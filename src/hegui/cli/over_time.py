"""Commands about time: check, diff, calendar."""
