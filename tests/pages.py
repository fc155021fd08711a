"""What a page hands its scripts: the JSON blocks in <script type="application/json" id=…>."""

import json
import re


def page_data(html: str, block_id: str):
    """The JSON of the page's block `block_id`; fails the test when the page has none."""
    match = re.search(
        rf'<script type="application/json" id="{block_id}">(.*?)</script>', html, re.S
    )
    assert match, f"the page has no #{block_id} block"
    return json.loads(match.group(1))
