from motcua_desktop.hub.cli import main

raise SystemExit(main())
