package com.brightwave.cardnetwork;

/** Thin wrapper around the scheme connections; see docs in the payments-api TechDocs. */
public final class Iso8583Client {
    private final String scheme;

    public Iso8583Client(String scheme) {
        this.scheme = scheme;
    }

    public String scheme() {
        return scheme;
    }
}
