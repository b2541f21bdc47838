import sys

# Absolute import: PyInstaller runs this file as a script, not as part of the package.
from motcua_desktop.cli import main

sys.exit(main())
