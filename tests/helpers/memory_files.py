"""Small invented translation-memory and term files, as other tools write them."""

from __future__ import annotations

# Regional language codes and a header srclang of its own, as CAT tools export them.
FOREIGN_TMX = b"""<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
  <header srclang="en-US" segtype="sentence" creationtool="cat" creationtoolversion="1"
          o-tmf="cat" adminlang="en" datatype="plaintext"/>
  <body>
    <tu>
      <tuv xml:lang="en-US"><seg>The harbour ferry resumes on Thursday.</seg></tuv>
      <tuv xml:lang="es-ES"><seg>El transbordador del puerto vuelve el jueves.</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="en-US"><seg>Volunteers painted the &amp; old school.</seg></tuv>
      <tuv xml:lang="es-MX"><seg>Voluntarios pintaron la &amp; vieja escuela.</seg></tuv>
    </tu>
    <tu>
      <tuv xml:lang="en-US"><seg>Only English here.</seg></tuv>
      <tuv xml:lang="fr-FR"><seg>Seulement ici.</seg></tuv>
    </tu>
  </body>
</tmx>
"""

FERRY_EN = "The harbour ferry resumes on Thursday."
FERRY_ES = "El transbordador del puerto vuelve el jueves."

TERMS_CSV = b'source,target\nharbour master,capitan de puerto\n"tide, high",marea alta\n'
