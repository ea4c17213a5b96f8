"""Report and its Provenance: a read-only mapping kept as columns, cheap to move between processes."""
from __future__ import annotations

import pickle

from hypothesis import given
from hypothesis import strategies as st

from gov_audit._report import CellSource, Provenance, Report, cells_read_as

HOWS = ("read", "blank", "inferred", "ambiguous", "missing")
sources = st.builds(CellSource, st.text(max_size=5), st.text(max_size=12), st.sampled_from(HOWS))
provenances = st.dictionaries(st.text(min_size=1, max_size=8), sources, max_size=30)


def as_columns(prov: dict) -> Provenance:
    return Provenance(list(prov), [s.raw for s in prov.values()], [s.where for s in prov.values()],
                      [s.how for s in prov.values()])


@given(provenances, st.text(max_size=8))
def test_provenance_behaves_as_the_dict_it_stands_for(prov, other_code):
    lazy = as_columns(prov)
    assert lazy == prov and dict(lazy) == prov and list(lazy) == list(prov) and len(lazy) == len(prov)
    assert list(lazy.items()) == list(prov.items())
    assert all(type(s) is CellSource for s in lazy.values())
    assert (other_code in lazy) == (other_code in prov)
    assert lazy.get(other_code) == prov.get(other_code)
    for hows in (("inferred", "ambiguous"), ("missing",), ()):
        assert cells_read_as(lazy, *hows) == cells_read_as(prov, *hows) == [c for c, s in prov.items() if s.how in hows]


@given(provenances)
def test_a_report_survives_pickling_with_either_kind_of_provenance(prov):
    cells = {c: float(i) for i, c in enumerate(prov)}
    for kept in (prov, as_columns(prov)):
        report = Report("r.html", "2021", cells, 2023, "某局", "html", "ok", "", kept, [], "text")
        back = pickle.loads(pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL))
        assert isinstance(back.provenance, Provenance)
        assert back == report and back.provenance == prov
        again = pickle.loads(pickle.dumps(back))  # a Provenance goes on as its columns
        assert again == report
