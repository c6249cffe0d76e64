"""Values to text or bytes: report tables (text, markdown, JSON, CSV), validation problems, the
board paper, chase messages, exports and textconv. One registry per kind of output, with one
signature each. Nothing here touches the file system or prints."""
