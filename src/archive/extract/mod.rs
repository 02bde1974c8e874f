//! Text extraction from archived files (txt, md, html, docx, pdf, …).
