"""Documents people take away: the feedback digest (DOCX/Markdown/HTML), spreadsheets, charts
and one-page learning briefings."""
