"""Import an official document (DOCX, PDF with text, plain text/Markdown) into a draft plan.

``read_document`` turns a file into blocks (paragraphs and tables, each with where it stands);
``build_draft`` reads the header, the section tree, the task-bearing prose and tables, and
resolves agencies, deadlines and target figures; ``render``/``write_draft`` write the plan in the
catalog's own YAML shape with each field's source and confidence as YAML comments
(tasks_catalog/SCHEMA.md, "Imported drafts").
"""
