"""`python -m cnnviz` is the `cnnviz` command."""

import sys

from cnnviz.cli import main

sys.exit(main())
