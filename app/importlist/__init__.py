"""The centre's real list: the spreadsheet a province publishes with its decision announcing
the procedures (Quyết định công bố danh mục TTHC), read into skeleton drafts.

``reader`` turns the workbook into rows (header found by its Vietnamese names, group rows,
merged cells, numeric codes); ``apply`` turns rows into drafts and a report; ``cli`` and the
editor page (``app.editor.import_list``) run them, as a dry run or for real.
"""
