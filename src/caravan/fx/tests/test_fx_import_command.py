import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from caravan.cli import main
from caravan.fx.models import ExchangeRate

from .samples import DATA


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("fx_import", *args, stdout=out)
    return out.getvalue()


def test_importing_a_cbr_file_prints_what_it_recorded(db):
    output = run("--source", "cbr", "--file", str(DATA / "cbr_2026-12-05.xml"))

    assert output.splitlines() == [
        "cbr: rates for 2026-12-05: 90 pairs, 90 new, 0 corrected, 0 already recorded",
        "  1 CNY = 11.0542 RUB",
        "  1 EUR = 92.1345 RUB",
        "  1 GBP = 105.8423 RUB",
        "  1 USD = 78.9712 RUB",
    ]
    assert ExchangeRate.objects.count() == 90


def test_importing_an_ecb_file_for_its_day_and_again(db):
    path = str(DATA / "ecb_2026-12-04.xml")
    run("--source", "ecb", "--file", path, "--date", "2026-12-04")

    output = run("--source", "ecb", "--file", path, "--date", "2026-12-04")

    assert output.splitlines() == [
        "ecb: rates for 2026-12-04: 42 pairs, 0 new, 0 corrected, 42 already recorded",
        "  1 EUR = 8.3342 CNY",
        "  1 EUR = 0.87102 GBP",
        "  1 EUR = 1.1662 USD",
    ]
    assert ExchangeRate.objects.count() == 42


def test_a_partial_feed_stops_the_command_with_one_line_and_records_nothing(db):
    with pytest.raises(CommandError) as caught:
        run("--source", "cbr", "--file", str(DATA / "cbr_partial.xml"))

    assert str(caught.value) == (
        "The Central Bank of Russia feed for 2026-12-05 is partial: "
        "no rate for CNY, EUR, USD. [feed_partial]"
    )
    assert ExchangeRate.objects.count() == 0


def test_a_file_that_cannot_be_read_stops_the_command(db, tmp_path):
    with pytest.raises(CommandError) as caught:
        run("--source", "ecb", "--file", str(tmp_path / "missing.xml"))

    assert str(caught.value) == f"cannot read {tmp_path / 'missing.xml'}: No such file or directory"


def test_a_date_that_is_not_a_date_stops_the_command(db):
    with pytest.raises(CommandError) as caught:
        run("--source", "cbr", "--date", "05.12.2026")

    assert "not a date (YYYY-MM-DD): '05.12.2026'" in str(caught.value)
    assert ExchangeRate.objects.count() == 0


def test_the_caravan_command_exits_non_zero_with_the_error(capsys):
    # No database: the feed is refused before anything is written, and Django's command
    # runner closes the connections when it exits.
    empty = str(DATA / "cbr_empty.xml")
    # The system checks (URLs, admin of every app) are not what this test is about.
    with pytest.raises(SystemExit) as caught:
        main(["caravan", "fx-import", "--skip-checks", "--source", "cbr", "--file", empty])

    assert caught.value.code == 1
    assert capsys.readouterr().err.splitlines() == [
        "CommandError: The Central Bank of Russia feed has no rates. [feed_empty]"
    ]
