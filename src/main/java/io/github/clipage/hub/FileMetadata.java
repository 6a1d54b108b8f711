package io.github.clipage.hub;

import java.net.URI;

/**
 * Metadata of one file from a {@code HEAD} request on the hub's resolve URL.
 *
 * @param file the file name in the repository
 * @param commit the commit hash that the revision resolved to
 * @param etag the blob name in the cache: the SHA-256 of the content for LFS files, the git object id otherwise
 * @param size the size in bytes, or -1 when the hub sent none
 * @param downloadUri where to {@code GET} the content: the file host for LFS files, the resolve URL otherwise
 */
record FileMetadata(String file, String commit, String etag, long size, URI downloadUri) {

    /** Returns whether the etag is a SHA-256 digest that the downloaded content can be checked against. */
    boolean hasSha256() {
        return etag.length() == 64 && etag.chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }
}
