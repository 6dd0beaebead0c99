"""``python -m govchain.wallet``: the approver wallet's command line."""

import sys

from govchain.wallet import main

sys.exit(main())
