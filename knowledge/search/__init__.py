"""Finding passages: embedding, the vector store, the lexical index backends behind one
`LexicalIndex` protocol, the acronym glossary and the hybrid retriever that fuses them."""
