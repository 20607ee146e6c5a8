package ui

import "net/http"

// Placeholders until the student handlers are written.

func (s *Server) studentList(w http.ResponseWriter, r *http.Request)          { s.notFound(w, r) }
func (s *Server) studentNew(w http.ResponseWriter, r *http.Request)           { s.notFound(w, r) }
func (s *Server) studentCreate(w http.ResponseWriter, r *http.Request)        { s.notFound(w, r) }
func (s *Server) studentImportShow(w http.ResponseWriter, r *http.Request)    { s.notFound(w, r) }
func (s *Server) studentImportPreview(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) studentImportConfirm(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) }
func (s *Server) studentShow(w http.ResponseWriter, r *http.Request)          { s.notFound(w, r) }
func (s *Server) studentEdit(w http.ResponseWriter, r *http.Request)          { s.notFound(w, r) }
func (s *Server) studentUpdate(w http.ResponseWriter, r *http.Request)        { s.notFound(w, r) }
