"""Documents in and out (LibreTranslate's /translate_file): one small module per format, each
reading a file's text where it sits, sending it through the same text pipeline as /translate
(memory, glossary, cache, protection) and writing the translation back in place, so that the
file's structure and styles are the ones it came with."""
