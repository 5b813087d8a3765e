"""The PDF reports' layout (fpdf2): the house style, the session scorecard, the team report."""
